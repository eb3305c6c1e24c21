using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// The scripted model's demo behaviour. Reads the newest user request ("create a contact for Ada Lovelace
/// ada@example.com and charge 42 EUR [to card 4242...]"), then, from the tool calls and results since that request,
/// picks the next step: create the contact, create the invoice, charge the card, send the receipt, and finally sum up.
/// A failed step ends the plan: the answer says what worked, what failed and what the system reported as rolled back.
/// </summary>
internal static partial class ScriptedDemoModel
{
    private const string DefaultCard = "4242424242424242";

    public static ScriptedStep Decide(IReadOnlyList<ChatMessage> conversation)
    {
        // The request is the newest user message the demo understands; later user or system messages are notes
        // (the orchestration may report failures and roll-backs either way).
        var userIndex = LastIndex(conversation, m => m.Role == ChatRole.User && IsRequest(m.Text));
        if (userIndex < 0)
        {
            return ScriptedStep.Say(Help);
        }

        var request = conversation[userIndex].Text;
        var email = EmailPattern().Match(request) is { Success: true } e ? e.Value : null;
        var name = NamePattern().Match(request) is { Success: true } n ? n.Groups["name"].Value.Trim() : null;
        var charge = ChargePattern().Match(request);
        var wantsContact = request.Contains("contact", StringComparison.OrdinalIgnoreCase) && name is not null;
        if (!wantsContact && !charge.Success)
        {
            return ScriptedStep.Say(Help);
        }

        if (email is null)
        {
            return ScriptedStep.Say($"I need an email address for {name ?? "the contact"} before I can create the contact. What is it?");
        }

        var plan = new List<string>();
        if (wantsContact)
        {
            plan.Add("crm_create_contact");
        }

        if (charge.Success)
        {
            plan.AddRange(["billing_create_invoice", "billing_charge_payment", "billing_send_receipt"]);
        }

        var amount = charge.Success ? decimal.Parse(charge.Groups["amount"].Value.Replace(',', '.'), CultureInfo.InvariantCulture) : 0m;
        var currency = Currency(charge.Groups["currency"].Success ? charge.Groups["currency"].Value : charge.Groups["cur1"].Value);
        var card = CardPattern().Match(request) is { Success: true } c ? c.Value : DefaultCard;

        var outcomes = Outcomes(conversation, userIndex);
        string? contactId = null;
        string? invoiceId = null;
        foreach (var tool in plan)
        {
            var outcome = outcomes.FirstOrDefault(o => o.Tool == tool);
            if (outcome is null)
            {
                if (tool == "crm_create_contact" || contactId is not null || !wantsContact)
                {
                    return NextCall(tool, name, email, contactId, invoiceId, amount, currency, card);
                }

                break;
            }

            if (outcome.Failed)
            {
                return ScriptedStep.Say(Summary(conversation, userIndex, outcomes, name, email, amount, currency, card));
            }

            contactId = tool == "crm_create_contact" ? outcome.Id : contactId;
            invoiceId = tool == "billing_create_invoice" ? outcome.Id : invoiceId;
        }

        return ScriptedStep.Say(Summary(conversation, userIndex, outcomes, name, email, amount, currency, card));
    }

    private const string Help =
        "I am the scripted demo model, so I only follow requests like: \"Create a contact for Ada Lovelace ada@example.com and charge 42 EUR\". "
        + $"Configure {ModelGatewayOptions.SectionName}:Endpoint to talk to a real model.";

    private static ScriptedStep NextCall(string tool, string? name, string email, string? contactId, string? invoiceId, decimal amount, string currency, string card)
    {
        var args = tool switch
        {
            "crm_create_contact" => new Dictionary<string, object?> { ["name"] = name, ["email"] = email },
            "billing_create_invoice" => new Dictionary<string, object?>
            {
                ["contactId"] = contactId, ["amount"] = amount, ["currency"] = currency,
                ["description"] = string.Create(CultureInfo.InvariantCulture, $"Charge of {amount:0.00} {currency}"),
            },
            "billing_charge_payment" => new Dictionary<string, object?> { ["invoiceId"] = invoiceId, ["cardNumber"] = card, ["amount"] = amount },
            _ => new Dictionary<string, object?> { ["invoiceId"] = invoiceId, ["email"] = email },
        };
        if (tool == "billing_create_invoice" && contactId is null)
        {
            args.Remove("contactId");
        }

        return ScriptedStep.Call(tool, JsonSerializer.Serialize(args));
    }

    private static string Summary(
        IReadOnlyList<ChatMessage> conversation, int userIndex, List<Outcome> outcomes, string? name, string email, decimal amount, string currency, string card)
    {
        var text = new StringBuilder();
        var failed = outcomes.Any(o => o.Failed);
        text.Append(failed ? "Not everything worked. " : "Done. ");
        foreach (var o in outcomes)
        {
            var what = o.Tool switch
            {
                "crm_create_contact" => $"creating the contact {name} <{email}>",
                "billing_create_invoice" => string.Create(CultureInfo.InvariantCulture, $"creating the invoice for {amount:0.00} {currency}"),
                "billing_charge_payment" => $"charging the card ending {card[^4..]}",
                "billing_send_receipt" => $"emailing the receipt to {email}",
                _ => $"calling {o.Tool}",
            };
            text.Append(o.Failed ? $"Failed: {what}: {o.Error?.TrimEnd('.')}. " : $"OK: {what}{(o.Id is null ? string.Empty : $" ({o.Id})")}. ");
        }

        // The orchestration lists on the failed step's result what it rolled back (newest first).
        var rolledBack = outcomes.SelectMany(o => o.RolledBack).ToList();
        if (rolledBack.Count > 0)
        {
            text.Append("I rolled back: ").Append(string.Join("; ", rolledBack)).Append(". ");
        }

        // What the orchestration told the model after the last tool result: failures and roll-backs.
        var notes = conversation.Skip(userIndex + 1).Where(m => m.Role == ChatRole.System || m.Role == ChatRole.User)
            .Select(m => m.Text.Trim()).Where(t => t.Length > 0).ToList();
        if (notes.Count > 0)
        {
            text.Append("The system reports: ").Append(string.Join(" ", notes));
        }
        else if (failed && rolledBack.Count == 0)
        {
            text.Append("The completed steps before the failure are rolled back by the system.");
        }

        return text.ToString().Trim();
    }

    private static List<Outcome> Outcomes(IReadOnlyList<ChatMessage> conversation, int userIndex)
    {
        var results = conversation.Skip(userIndex + 1).SelectMany(m => m.Contents.OfType<FunctionResultContent>())
            .GroupBy(r => r.CallId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var outcomes = new List<Outcome>();
        foreach (var call in conversation.Skip(userIndex + 1).SelectMany(m => m.Contents.OfType<FunctionCallContent>()))
        {
            if (results.TryGetValue(call.CallId, out var result))
            {
                outcomes.Add(Read(call.Name, result));
            }
        }

        return outcomes;
    }

    private static Outcome Read(string tool, FunctionResultContent result)
    {
        if (result.Exception is not null)
        {
            return new Outcome(tool, true, [], null, result.Exception.Message);
        }

        var raw = result.Result switch
        {
            null => string.Empty,
            string s => s,
            JsonElement j => j.GetRawText(),
            var other => JsonSerializer.Serialize(other),
        };
        try
        {
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                root = inner;
            }

            if (root.ValueKind == JsonValueKind.Object && (root.TryGetProperty("error", out var error) || root.TryGetProperty("errorCode", out error)))
            {
                var message = error.ValueKind == JsonValueKind.Object
                    ? string.Join(": ", new[] { "code", "message" }.Where(p => HasString(error, p)).Select(p => error.GetProperty(p).GetString()))
                    : error.ToString();
                if (root.TryGetProperty("message", out var m) || root.TryGetProperty("errorMessage", out m))
                {
                    message += ": " + m;
                }

                return new Outcome(tool, true, RolledBackSteps(root), null, message);
            }

            return new Outcome(tool, false, [], root.ValueKind == JsonValueKind.Object && root.TryGetProperty("id", out var id) ? id.ToString() : null, null);
        }
        catch (JsonException)
        {
            var failed = raw.StartsWith("error", StringComparison.OrdinalIgnoreCase) || raw.Contains("failed", StringComparison.OrdinalIgnoreCase);
            return new Outcome(tool, failed, [], null, failed ? raw : null);
        }
    }

    private static List<string> RolledBackSteps(JsonElement root) =>
        root.TryGetProperty("rolledBack", out var steps) && steps.ValueKind == JsonValueKind.Array
            ? [.. steps.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).Select(s =>
                HasString(s, "status") && s.GetProperty("status").GetString() == "rolled_back"
                    ? $"{Text(s, "tool")} (undone by {Text(s, "compensation")})"
                    : $"{Text(s, "tool")} could NOT be undone ({Text(s, "status")}); support staff have been alerted")]
            : [];

    private static string Text(JsonElement element, string name) => HasString(element, name) ? element.GetProperty(name).GetString()! : "?";

    private static bool IsRequest(string text) =>
        ChargePattern().IsMatch(text) || (text.Contains("contact", StringComparison.OrdinalIgnoreCase) && NamePattern().IsMatch(text));

    private static bool HasString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;

    private static int LastIndex(IReadOnlyList<ChatMessage> conversation, Func<ChatMessage, bool> predicate)
    {
        for (var i = conversation.Count - 1; i >= 0; i--)
        {
            if (predicate(conversation[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Currency(string symbol) => symbol.ToUpperInvariant() switch
    {
        "$" or "USD" => "USD",
        "£" or "GBP" => "GBP",
        _ => "EUR",
    };

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"contact\s+(?:for|named|called)\s+(?<name>\p{Lu}[\p{L}'\-]*(?:\s+\p{Lu}[\p{L}'\-]*)*)", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"charge\s+(?:\w+\s+)?(?<cur1>[€$£])?(?<amount>\d+(?:[.,]\d{1,2})?)\s*(?<currency>EUR|USD|GBP|€|\$|£)?", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ChargePattern();

    [GeneratedRegex(@"(?<!\d)\d{12,19}(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    private sealed record Outcome(string Tool, bool Failed, IReadOnlyList<string> RolledBack, string? Id, string? Error);
}
