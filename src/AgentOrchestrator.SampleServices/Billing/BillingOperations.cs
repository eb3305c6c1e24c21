using System.Net.Mail;
using AgentOrchestrator.SampleServices.Infrastructure;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Billing;

/// <summary>What the billing service's writes do, inside the operation's transaction. Repeating an undo is
/// safe: voiding a void invoice is a no-op, refunding a fully refunded payment is a clear error.</summary>
internal static class BillingOperations
{
    private static readonly string[] Currencies = ["EUR", "USD", "GBP"];

    public static ServiceResponse? ValidateInvoice(CreateInvoiceRequest request, out long amountCents)
    {
        amountCents = 0;
        if (string.IsNullOrWhiteSpace(request.ContactId))
        {
            return ServiceResponse.Error(400, "invalid_contact", "contactId is required.");
        }

        if (request.Amount is not { } amount || !Money.TryToMinor(amount, out amountCents) || amount > 100_000m)
        {
            return ServiceResponse.Error(400, "invalid_amount", "amount must be more than 0 and at most 100000, with at most two decimals.");
        }

        if (request.Currency is null || !Currencies.Contains(request.Currency))
        {
            return ServiceResponse.Error(400, "invalid_currency", "currency must be EUR, USD or GBP.");
        }

        return string.IsNullOrWhiteSpace(request.Description) ? ServiceResponse.Error(400, "invalid_description", "description is required.") : null;
    }

    public static async Task<ServiceResponse> CreateInvoiceAsync(ServiceRuntime billing, SqliteConnection connection, SqliteTransaction transaction, CreateInvoiceRequest request, long amountCents)
    {
        var id = Ids.New("in");
        await BillingStore.InsertInvoiceAsync(connection, transaction, id, request.ContactId!, request.Currency!, amountCents, request.Description!, billing.Now);
        return ServiceResponse.Ok((await BillingStore.GetInvoiceAsync(connection, transaction, id))!, StatusCodes.Status201Created);
    }

    public static async Task<ServiceResponse> VoidInvoiceAsync(ServiceRuntime billing, SqliteConnection connection, SqliteTransaction transaction, string invoiceId)
    {
        var invoice = await BillingStore.GetInvoiceAsync(connection, transaction, invoiceId);
        if (invoice is null)
        {
            return InvoiceNotFound(invoiceId);
        }

        if (invoice.Status == "void")
        {
            return ServiceResponse.Ok(invoice);
        }

        if (invoice.AmountPaid > 0)
        {
            return ServiceResponse.Error(400, "invoice_has_payments", $"Invoice {invoiceId} has {invoice.AmountPaid} {invoice.Currency} paid; refund the payments before voiding it.");
        }

        await BillingStore.VoidInvoiceAsync(connection, transaction, invoiceId, billing.Now);
        return ServiceResponse.Ok((await BillingStore.GetInvoiceAsync(connection, transaction, invoiceId))!);
    }

    public static async Task<ServiceResponse> ChargeAsync(ServiceRuntime billing, SqliteConnection connection, SqliteTransaction transaction, ChargeRequest request, long amountCents)
    {
        var invoice = await BillingStore.GetInvoiceAsync(connection, transaction, request.InvoiceId!);
        if (invoice is null)
        {
            return InvoiceNotFound(request.InvoiceId!);
        }

        if (invoice.Status != "open")
        {
            return ServiceResponse.Error(400, "invoice_not_open", $"Invoice {invoice.Id} is {invoice.Status}; only open invoices take payments.");
        }

        var balance = invoice.Amount - invoice.AmountPaid;
        if (Money.ToMajor(amountCents) > balance)
        {
            return ServiceResponse.Error(400, "amount_exceeds_balance", $"Invoice {invoice.Id} has {balance} {invoice.Currency} left to pay.");
        }

        var decline = TestCards.DeclineCode(request.CardNumber!);
        var payment = new Payment(Ids.New("py"), invoice.Id, Money.ToMajor(amountCents), 0m, invoice.Currency,
            decline is null ? "succeeded" : "failed", decline, request.CardNumber![^4..], billing.Now);
        await BillingStore.InsertPaymentAsync(connection, transaction, payment, amountCents);
        return decline is null
            ? ServiceResponse.Ok(payment, StatusCodes.Status201Created)
            : ServiceResponse.Error(402, decline, decline == "card_declined" ? "The card was declined." : "The card has insufficient funds.", new { paymentId = payment.Id });
    }

    public static async Task<ServiceResponse> RefundAsync(ServiceRuntime billing, SqliteConnection connection, SqliteTransaction transaction, string paymentId, RefundRequest request)
    {
        var payment = await BillingStore.GetPaymentAsync(connection, transaction, paymentId);
        if (payment is null)
        {
            return ServiceResponse.Error(404, "payment_not_found", $"There is no payment {paymentId}.");
        }

        if (payment.Status != "succeeded")
        {
            return ServiceResponse.Error(400, "payment_not_refundable", $"Payment {paymentId} {payment.Status}; only successful payments can be refunded.");
        }

        var left = payment.Amount - payment.AmountRefunded;
        if (left == 0)
        {
            return ServiceResponse.Error(400, "charge_already_refunded", $"Payment {paymentId} is already fully refunded.");
        }

        var amount = request.Amount ?? left;
        if (!Money.TryToMinor(amount, out var cents))
        {
            return ServiceResponse.Error(400, "invalid_amount", "amount must be more than 0, with at most two decimals.");
        }

        if (amount > left)
        {
            return ServiceResponse.Error(400, "refund_exceeds_payment", $"Only {left} {payment.Currency} of payment {paymentId} is left to refund.");
        }

        var refund = new Refund(Ids.New("re"), paymentId, amount, request.Reason, billing.Now);
        await BillingStore.InsertRefundAsync(connection, transaction, refund, cents);
        return ServiceResponse.Ok(refund, StatusCodes.Status201Created);
    }

    public static async Task<ServiceResponse> SendReceiptAsync(ServiceRuntime billing, SqliteConnection connection, SqliteTransaction transaction, string invoiceId, string to)
    {
        var invoice = await BillingStore.GetInvoiceAsync(connection, transaction, invoiceId);
        if (invoice is null)
        {
            return InvoiceNotFound(invoiceId);
        }

        if (invoice.Status != "paid")
        {
            return ServiceResponse.Error(400, "invoice_not_paid", $"Invoice {invoiceId} is {invoice.Status}; receipts are only sent for paid invoices.");
        }

        var email = new ReceiptEmail(Ids.New("em"), invoiceId, to, $"Receipt for {invoice.Description}", "queued", billing.Now);
        await BillingStore.InsertEmailAsync(connection, transaction, email, $"We received {invoice.AmountPaid} {invoice.Currency} for invoice {invoiceId}. Thank you.");
        return ServiceResponse.Ok(email, StatusCodes.Status202Accepted);
    }

    public static bool IsEmail(string? value) => !string.IsNullOrWhiteSpace(value) && MailAddress.TryCreate(value, out var address) && address.Address == value;

    public static ServiceResponse InvoiceNotFound(string invoiceId) => ServiceResponse.Error(404, "invoice_not_found", $"There is no invoice {invoiceId}.");
}
