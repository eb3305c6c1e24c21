using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>Model steps that drive the sample CRM and billing tools: create a contact, invoice it, charge a card.</summary>
internal static partial class SampleScripts
{
    public const string GoodCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";

    public static Func<ModelView, ChatMessage> CreateContact(string callId = "c1", string email = "ada@example.com")
        => Call("crm_create_contact", $$"""{"name":"Ada Lovelace","email":"{{email}}"}""", callId);

    public static Func<ModelView, ChatMessage> CreateInvoice(string contactCall = "c1", string callId = "c2", decimal amount = 42)
        => v => CallMessage(("billing_create_invoice", $$"""{"contactId":"{{v.Id(contactCall)}}","amount":{{amount}},"currency":"EUR","description":"Consulting"}""", callId));

    public static Func<ModelView, ChatMessage> Charge(string card, string invoiceCall = "c2", string callId = "c3", decimal amount = 42)
        => v => CallMessage(("billing_charge_payment", $$"""{"invoiceId":"{{v.Id(invoiceCall)}}","cardNumber":"{{card}}","amount":{{amount}}}""", callId));

    /// <summary>Contact, invoice and a charge of 42 EUR with <paramref name="card"/>, then a final answer.</summary>
    public static ScriptedTestModel ChargeChain(string card, string answer) => new([CreateContact(), CreateInvoice(), Charge(card), Say(answer)]);

    /// <summary>
    /// The first message of an order session: a customer with its own e-mail address (the CRM refuses a second live contact
    /// with one address) and the card to charge. <see cref="OrderChain"/> reads both back.
    /// </summary>
    public static string Order(string email, string card) => $"Set up the customer <{email}> and charge 42 EUR to card {card}.";

    /// <summary>
    /// As <see cref="ChargeChain"/>, with the e-mail address and the card the session's <see cref="Order"/> message names: one
    /// model for a batch of sessions with different customers and cards. Like a real model it stops and says so when a tool
    /// call failed (a declined card, or a call the service never answered), instead of asking for the next step.
    /// </summary>
    public static ScriptedTestModel OrderChain(string answer) => new([
        v => CreateContact(email: OrderPart(v, 1))(v),
        v => Failure(v) ?? CreateInvoice()(v),
        v => Failure(v) ?? Charge(OrderPart(v, 2))(v),
        v => Failure(v) ?? Say(answer)(v)]);

    private static ChatMessage? Failure(ModelView view)
        => view.Results.Values.FirstOrDefault(r => r.ValueKind == System.Text.Json.JsonValueKind.Object && r.TryGetProperty("error", out _)) is { ValueKind: System.Text.Json.JsonValueKind.Object } failed
            ? new ChatMessage(ChatRole.Assistant, $"I could not finish the order: {failed.GetRawText()}")
            : null;

    private static string OrderPart(ModelView view, int group)
    {
        var text = view.Messages.Last(m => m.Role == ChatRole.User).Text;
        var match = OrderPattern().Match(text);
        return match.Success ? match.Groups[group].Value : throw new InvalidOperationException($"Not an order message: '{text}'.");
    }

    [GeneratedRegex(@"<([^>]+)> and charge 42 EUR to card (\d+)")]
    private static partial Regex OrderPattern();
}
