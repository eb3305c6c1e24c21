using AgentOrchestrator.SampleServices.Infrastructure;

namespace AgentOrchestrator.SampleServices.Billing;

/// <summary>The billing service's HTTP API: invoices, payments, refunds, receipts, and reads of its own data.</summary>
internal static class BillingEndpoints
{
    public static void Map(RouteGroupBuilder group, ServiceRuntime billing)
    {
        group.MapPost("/invoices", async (HttpContext http) =>
        {
            var (request, canonical, error) = await RequestBody.ReadAsync<CreateInvoiceRequest>(http);
            if (error is not null)
            {
                return error;
            }

            if (BillingOperations.ValidateInvoice(request!, out var cents) is { } invalid)
            {
                return invalid;
            }

            return await billing.WriteAsync(http, "create_invoice", canonical, (c, t) => BillingOperations.CreateInvoiceAsync(billing, c, t, request!, cents));
        });

        group.MapGet("/invoices/{invoiceId}", (HttpContext http, string invoiceId) => billing.ReadAsync(http, "get_invoice", async connection =>
            await BillingStore.GetInvoiceAsync(connection, null, invoiceId) is { } invoice ? ServiceResponse.Ok(invoice) : BillingOperations.InvoiceNotFound(invoiceId)));

        group.MapPost("/invoices/{invoiceId}/void", (HttpContext http, string invoiceId) =>
            billing.WriteAsync(http, "void_invoice", string.Empty, (c, t) => BillingOperations.VoidInvoiceAsync(billing, c, t, invoiceId)));

        group.MapPost("/payments", async (HttpContext http) =>
        {
            var (request, canonical, error) = await RequestBody.ReadAsync<ChargeRequest>(http);
            if (error is not null)
            {
                return error;
            }

            if (string.IsNullOrWhiteSpace(request!.InvoiceId))
            {
                return ServiceResponse.Error(400, "invalid_invoice", "invoiceId is required.");
            }

            if (!TestCards.IsValidNumber(request.CardNumber))
            {
                return ServiceResponse.Error(400, "invalid_card_number", "cardNumber must be 12 to 19 digits and pass the Luhn check.");
            }

            if (request.Amount is not { } amount || !Money.TryToMinor(amount, out var cents))
            {
                return ServiceResponse.Error(400, "invalid_amount", "amount must be more than 0, with at most two decimals.");
            }

            return await billing.WriteAfterCallOutAsync(http, "charge_payment", canonical, (c, t) => BillingOperations.ChargeAsync(billing, c, t, request, cents));
        });

        group.MapGet("/payments", (HttpContext http, string? invoiceId) => billing.ReadAsync(http, "list_payments", async connection =>
            invoiceId is null
                ? ServiceResponse.Error(400, "missing_filter", "Give invoiceId.")
                : ServiceResponse.Ok(new { items = await BillingStore.ListPaymentsAsync(connection, invoiceId) })));

        group.MapGet("/payments/{paymentId}", (HttpContext http, string paymentId) => billing.ReadAsync(http, "get_payment", async connection =>
            await BillingStore.GetPaymentAsync(connection, null, paymentId) is { } payment
                ? ServiceResponse.Ok(payment)
                : ServiceResponse.Error(404, "payment_not_found", $"There is no payment {paymentId}.")));

        group.MapPost("/payments/{paymentId}/refunds", async (HttpContext http, string paymentId) =>
        {
            var (request, canonical, error) = await RequestBody.ReadAsync<RefundRequest>(http);
            if (error is not null)
            {
                return error;
            }

            return await billing.WriteAfterCallOutAsync(http, "refund_payment", canonical, (c, t) => BillingOperations.RefundAsync(billing, c, t, paymentId, request!));
        });

        group.MapPost("/invoices/{invoiceId}/receipt", async (HttpContext http, string invoiceId) =>
        {
            var (request, canonical, error) = await RequestBody.ReadAsync<ReceiptRequest>(http);
            if (error is not null)
            {
                return error;
            }

            if (!BillingOperations.IsEmail(request!.Email))
            {
                return ServiceResponse.Error(400, "invalid_email", "email must be an email address.");
            }

            return await billing.WriteAsync(http, "send_receipt", canonical, (c, t) => BillingOperations.SendReceiptAsync(billing, c, t, invoiceId, request.Email!));
        });

        group.MapGet("/emails", (HttpContext http, string? invoiceId) => billing.ReadAsync(http, "list_emails", async connection =>
            invoiceId is null
                ? ServiceResponse.Error(400, "missing_filter", "Give invoiceId.")
                : ServiceResponse.Ok(new { items = await BillingStore.ListEmailsAsync(connection, invoiceId) })));
    }
}
