using System.Globalization;
using AgentOrchestrator.SampleServices.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Billing;

/// <summary>The billing service's SQL. Amounts are stored in minor units.</summary>
internal static class BillingStore
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS invoices (
            id TEXT PRIMARY KEY, contact_id TEXT NOT NULL, currency TEXT NOT NULL, amount_cents INTEGER NOT NULL,
            description TEXT NOT NULL, created_at TEXT NOT NULL, voided_at TEXT);
        CREATE TABLE IF NOT EXISTS payments (
            id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL REFERENCES invoices (id), amount_cents INTEGER NOT NULL,
            currency TEXT NOT NULL, status TEXT NOT NULL, failure_code TEXT, card_last4 TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_payments_invoice ON payments (invoice_id);
        CREATE TABLE IF NOT EXISTS refunds (
            id TEXT PRIMARY KEY, payment_id TEXT NOT NULL REFERENCES payments (id), amount_cents INTEGER NOT NULL,
            reason TEXT, created_at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_refunds_payment ON refunds (payment_id);
        CREATE TABLE IF NOT EXISTS email_outbox (
            id TEXT PRIMARY KEY, invoice_id TEXT NOT NULL REFERENCES invoices (id), recipient TEXT NOT NULL,
            subject TEXT NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL);
        """;

    private const string InvoiceSelect = """
        SELECT i.id, i.contact_id, i.currency, i.amount_cents, i.description, i.voided_at IS NOT NULL, i.created_at,
          COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.invoice_id = i.id AND p.status = 'succeeded'), 0),
          COALESCE((SELECT SUM(r.amount_cents) FROM refunds r JOIN payments p ON p.id = r.payment_id WHERE p.invoice_id = i.id), 0)
        FROM invoices i
        """;

    private const string PaymentSelect = """
        SELECT p.id, p.invoice_id, p.amount_cents, p.currency, p.status, p.failure_code, p.card_last4, p.created_at,
          COALESCE((SELECT SUM(r.amount_cents) FROM refunds r WHERE r.payment_id = p.id), 0)
        FROM payments p
        """;

    public static async Task<Invoice?> GetInvoiceAsync(SqliteConnection connection, SqliteTransaction? transaction, string id)
    {
        using var command = Command(connection, transaction, InvoiceSelect + " WHERE i.id = $id", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var amount = reader.GetInt64(3);
        var net = reader.GetInt64(7) - reader.GetInt64(8);
        var status = reader.GetBoolean(5) ? "void" : net >= amount ? "paid" : "open";
        return new Invoice(reader.GetString(0), reader.GetString(1), reader.GetString(2), Money.ToMajor(amount), Money.ToMajor(net),
            Money.ToMajor(reader.GetInt64(8)), reader.GetString(4), status, Date(reader.GetString(6)));
    }

    public static async Task InsertInvoiceAsync(SqliteConnection connection, SqliteTransaction transaction, string id, string contactId, string currency, long amountCents, string description, DateTimeOffset now)
    {
        using var command = Command(connection, transaction,
            "INSERT INTO invoices (id, contact_id, currency, amount_cents, description, created_at) VALUES ($id, $contact, $currency, $amount, $description, $now)",
            ("$id", id), ("$contact", contactId), ("$currency", currency), ("$amount", amountCents), ("$description", description), ("$now", Text(now)));
        await command.ExecuteNonQueryAsync();
    }

    public static async Task VoidInvoiceAsync(SqliteConnection connection, SqliteTransaction transaction, string id, DateTimeOffset now)
    {
        using var command = Command(connection, transaction, "UPDATE invoices SET voided_at = $now WHERE id = $id AND voided_at IS NULL", ("$id", id), ("$now", Text(now)));
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<Payment?> GetPaymentAsync(SqliteConnection connection, SqliteTransaction? transaction, string id) =>
        (await ReadPaymentsAsync(Command(connection, transaction, PaymentSelect + " WHERE p.id = $id", ("$id", id)))).FirstOrDefault();

    public static Task<List<Payment>> ListPaymentsAsync(SqliteConnection connection, string invoiceId) =>
        ReadPaymentsAsync(Command(connection, null, PaymentSelect + " WHERE p.invoice_id = $invoice ORDER BY p.created_at, p.id", ("$invoice", invoiceId)));

    public static async Task InsertPaymentAsync(SqliteConnection connection, SqliteTransaction transaction, Payment payment, long amountCents)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO payments (id, invoice_id, amount_cents, currency, status, failure_code, card_last4, created_at)
            VALUES ($id, $invoice, $amount, $currency, $status, $failure, $last4, $now)
            """,
            ("$id", payment.Id), ("$invoice", payment.InvoiceId), ("$amount", amountCents), ("$currency", payment.Currency),
            ("$status", payment.Status), ("$failure", payment.FailureCode), ("$last4", payment.CardLast4), ("$now", Text(payment.CreatedAt)));
        await command.ExecuteNonQueryAsync();
    }

    public static async Task InsertRefundAsync(SqliteConnection connection, SqliteTransaction transaction, Refund refund, long amountCents)
    {
        using var command = Command(connection, transaction,
            "INSERT INTO refunds (id, payment_id, amount_cents, reason, created_at) VALUES ($id, $payment, $amount, $reason, $now)",
            ("$id", refund.Id), ("$payment", refund.PaymentId), ("$amount", amountCents), ("$reason", refund.Reason), ("$now", Text(refund.CreatedAt)));
        await command.ExecuteNonQueryAsync();
    }

    public static async Task InsertEmailAsync(SqliteConnection connection, SqliteTransaction transaction, ReceiptEmail email, string body)
    {
        using var command = Command(connection, transaction, """
            INSERT INTO email_outbox (id, invoice_id, recipient, subject, body, status, created_at)
            VALUES ($id, $invoice, $to, $subject, $body, $status, $now)
            """,
            ("$id", email.Id), ("$invoice", email.InvoiceId), ("$to", email.To), ("$subject", email.Subject), ("$body", body), ("$status", email.Status), ("$now", Text(email.CreatedAt)));
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<List<ReceiptEmail>> ListEmailsAsync(SqliteConnection connection, string invoiceId)
    {
        using var command = Command(connection, null,
            "SELECT id, invoice_id, recipient, subject, status, created_at FROM email_outbox WHERE invoice_id = $invoice ORDER BY created_at, id", ("$invoice", invoiceId));
        var emails = new List<ReceiptEmail>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            emails.Add(new ReceiptEmail(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), Date(reader.GetString(5))));
        }

        return emails;
    }

    private static async Task<List<Payment>> ReadPaymentsAsync(SqliteCommand command)
    {
        using (command)
        {
            var payments = new List<Payment>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                payments.Add(new Payment(reader.GetString(0), reader.GetString(1), Money.ToMajor(reader.GetInt64(2)), Money.ToMajor(reader.GetInt64(8)),
                    reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetString(6), Date(reader.GetString(7))));
            }

            return payments;
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static string Text(DateTimeOffset value) => value.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Date(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);
}
