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
    /// model for a batch of sessions with different customers and cards.
    /// </summary>
    public static ScriptedTestModel OrderChain(string answer) => new([
        v => CreateContact(email: OrderPart(v, 1))(v),
        CreateInvoice(),
        v => Charge(OrderPart(v, 2))(v),
        Say(answer)]);

    private static string OrderPart(ModelView view, int group)
    {
        var text = view.Messages.Last(m => m.Role == ChatRole.User).Text;
        var match = OrderPattern().Match(text);
        return match.Success ? match.Groups[group].Value : throw new InvalidOperationException($"Not an order message: '{text}'.");
    }

    [GeneratedRegex(@"<([^>]+)> and charge 42 EUR to card (\d+)")]
    private static partial Regex OrderPattern();
}
