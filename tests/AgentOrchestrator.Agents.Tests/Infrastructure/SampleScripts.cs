using Microsoft.Extensions.AI;
using static AgentOrchestrator.Agents.Tests.Infrastructure.ScriptedTestModel;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>Model steps that drive the sample CRM and billing tools: create a contact, invoice it, charge a card.</summary>
internal static class SampleScripts
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
}
