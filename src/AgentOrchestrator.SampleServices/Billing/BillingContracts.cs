namespace AgentOrchestrator.SampleServices.Billing;

/// <summary>An invoice as the API returns it. Amounts are in major units of <see cref="Currency"/>.</summary>
/// <param name="Id">Invoice id, <c>in_...</c>.</param>
/// <param name="ContactId">The CRM contact billed.</param>
/// <param name="Currency">ISO currency code.</param>
/// <param name="Amount">Amount due.</param>
/// <param name="AmountPaid">Paid so far, net of refunds.</param>
/// <param name="AmountRefunded">Refunded so far.</param>
/// <param name="Description">What the invoice is for.</param>
/// <param name="Status"><c>open</c>, <c>paid</c> (fully paid) or <c>void</c>.</param>
/// <param name="CreatedAt">When the invoice was created.</param>
public sealed record Invoice(string Id, string ContactId, string Currency, decimal Amount, decimal AmountPaid, decimal AmountRefunded, string Description, string Status, DateTimeOffset CreatedAt);

/// <summary>A card payment, successful or declined.</summary>
/// <param name="Id">Payment id, <c>py_...</c>.</param>
/// <param name="InvoiceId">The invoice paid.</param>
/// <param name="Amount">Amount charged.</param>
/// <param name="AmountRefunded">Refunded so far.</param>
/// <param name="Currency">ISO currency code.</param>
/// <param name="Status"><c>succeeded</c> or <c>failed</c>.</param>
/// <param name="FailureCode">Why a failed payment failed, e.g. <c>card_declined</c>.</param>
/// <param name="CardLast4">Last four digits of the card; the full number is never stored.</param>
/// <param name="CreatedAt">When the payment was attempted.</param>
public sealed record Payment(string Id, string InvoiceId, decimal Amount, decimal AmountRefunded, string Currency, string Status, string? FailureCode, string CardLast4, DateTimeOffset CreatedAt);

/// <summary>A refund of (part of) a payment.</summary>
/// <param name="Id">Refund id, <c>re_...</c>.</param>
/// <param name="PaymentId">The payment refunded.</param>
/// <param name="Amount">Amount refunded.</param>
/// <param name="Reason">Why, if given.</param>
/// <param name="CreatedAt">When the refund was made.</param>
public sealed record Refund(string Id, string PaymentId, decimal Amount, string? Reason, DateTimeOffset CreatedAt);

/// <summary>A receipt email in the outbox (recorded, never really sent).</summary>
/// <param name="Id">Email id, <c>em_...</c>.</param>
/// <param name="InvoiceId">The invoice the receipt is for.</param>
/// <param name="To">Recipient.</param>
/// <param name="Subject">Subject line.</param>
/// <param name="Status">Always <c>queued</c>.</param>
/// <param name="CreatedAt">When the email was queued.</param>
public sealed record ReceiptEmail(string Id, string InvoiceId, string To, string Subject, string Status, DateTimeOffset CreatedAt);

/// <summary>Body of POST /invoices.</summary>
/// <param name="ContactId">The CRM contact billed.</param>
/// <param name="Amount">Amount due.</param>
/// <param name="Currency">EUR, USD or GBP.</param>
/// <param name="Description">What the invoice is for.</param>
public sealed record CreateInvoiceRequest(string? ContactId, decimal? Amount, string? Currency, string? Description);

/// <summary>Body of POST /payments.</summary>
/// <param name="InvoiceId">The invoice to pay.</param>
/// <param name="CardNumber">Card number, digits only.</param>
/// <param name="Amount">Amount to charge.</param>
public sealed record ChargeRequest(string? InvoiceId, string? CardNumber, decimal? Amount);

/// <summary>Body of POST /payments/{id}/refunds.</summary>
/// <param name="Amount">Amount to refund; default: all that is left.</param>
/// <param name="Reason">Why.</param>
public sealed record RefundRequest(decimal? Amount, string? Reason);

/// <summary>Body of POST /invoices/{id}/receipt.</summary>
/// <param name="Email">Recipient.</param>
public sealed record ReceiptRequest(string? Email);
