using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Demo;

/// <summary>
/// The offline demo model: a deterministic, rule-based stand-in for a real model so the service runs with no
/// endpoint and no key. Asked to set up a customer and charge them (a name, an email, an amount and optionally
/// a card number in the message), it creates the contact, invoices and charges them with the sample tools, and
/// reports what happened, rollbacks included. Anything else gets a short explanation of what it can do.
/// It is not an AI: it never improvises, and says so.
/// </summary>
public sealed partial class OfflineDemoChatClient : IChatClient
{
    /// <summary>The model id it reports.</summary>
    public const string ModelId = "offline-demo-model";

    private const string Help = "I am the offline demo model (no AI endpoint is configured). Ask me, for example: "
        + "\"Create a contact for Ada Lovelace ada@example.com and charge 42 EUR with card 4000000000000002\" "
        + "(that card is declined, so you can watch the rollback; 4242424242424242 succeeds).";

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        var message = Decide(list);
        var input = list.Sum(m => (m.Text?.Length ?? 0) / 4 + 4);
        var output = (message.Text?.Length ?? 0) / 4 + (message.Contents.OfType<FunctionCallContent>().Count() * 20);
        return Task.FromResult(new ChatResponse(message) { ModelId = ModelId, Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output } });
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        var message = response.Messages[0];
        if (message.Contents.OfType<FunctionCallContent>().Any())
        {
            foreach (var update in response.ToChatResponseUpdates())
            {
                yield return update;
            }

            yield break;
        }

        // Text arrives word by word, so streaming is visible.
        foreach (var word in Regex.Split(message.Text, @"(?<=\s)"))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, word) { ModelId = ModelId };
        }

        yield return new ChatResponseUpdate { Contents = [new UsageContent(response.Usage!)], ModelId = ModelId };
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private static ChatMessage Decide(List<ChatMessage> messages)
    {
        var lastUser = messages.FindLastIndex(m => m.Role == ChatRole.User);
        var request = lastUser < 0 ? null : Parse(messages[lastUser].Text);
        if (request is null)
        {
            return new ChatMessage(ChatRole.Assistant, Help);
        }

        var results = messages.Skip(lastUser + 1).SelectMany(m => m.Contents.OfType<FunctionResultContent>())
            .ToDictionary(r => r.CallId, r => JsonDocument.Parse(r.Result?.ToString() ?? "{}").RootElement);
        if (results.Values.FirstOrDefault(r => r.TryGetProperty("error", out _)) is { ValueKind: JsonValueKind.Object } failure)
        {
            return new ChatMessage(ChatRole.Assistant, DescribeFailure(failure));
        }

        string Id(string call) => results[call].GetProperty("result").GetProperty("id").GetString()!;
        var amount = request.Amount.ToString(CultureInfo.InvariantCulture);
        return results.Count switch
        {
            0 => Call("contact", "crm_create_contact", new { name = request.Name, email = request.Email }),
            1 => Call("invoice", "billing_create_invoice", new { contactId = Id("contact"), amount = request.Amount, currency = request.Currency, description = "Demo order" }),
            2 => Call("charge", "billing_charge_payment", new { invoiceId = Id("invoice"), cardNumber = request.Card, amount = request.Amount }),
            _ => new ChatMessage(ChatRole.Assistant,
                $"Done. {request.Name} is contact {Id("contact")}, invoiced ({Id("invoice")}) and charged {amount} {request.Currency} (payment {Id("charge")})."),
        };
    }

    private static string DescribeFailure(JsonElement failure)
    {
        var code = failure.GetProperty("error").GetString();
        var text = failure.TryGetProperty("message", out var m) ? m.GetString() : code;
        var undone = failure.TryGetProperty("rolledBack", out var rolled)
            ? rolled.EnumerateArray().Select(r => $"{r.GetProperty("tool").GetString()} ({r.GetProperty("status").GetString()!.Replace('_', ' ')})").ToList()
            : [];
        return undone.Count == 0
            ? $"That did not work: {text} ({code}). Nothing had to be undone."
            : $"That did not work: {text} ({code}). I rolled back what was already done: {string.Join(", ", undone)}.";
    }

    private static ChatMessage Call(string callId, string tool, object arguments) => new(
        ChatRole.Assistant,
        [new FunctionCallContent(callId, tool, JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments)))]);

    private static DemoRequest? Parse(string? text)
    {
        if (text is null || EmailPattern().Match(text) is not { Success: true } email || AmountPattern().Match(text) is not { Success: true } amount)
        {
            return null;
        }

        var name = NamePattern().Match(text) is { Success: true } n ? n.Groups["name"].Value : email.Value.Split('@')[0];
        var card = CardPattern().Match(text) is { Success: true } c ? c.Value : "4242424242424242";
        return new DemoRequest(name, email.Value, decimal.Parse(amount.Groups["amount"].Value, CultureInfo.InvariantCulture), amount.Groups["currency"].Value.ToUpperInvariant(), card);
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<amount>\d+(\.\d{1,2})?)\s*(?<currency>EUR|USD|GBP)", RegexOptions.IgnoreCase)]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"\b(?<name>[A-Z][a-z]+ [A-Z][a-z]+)\b")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\b\d{12,19}\b")]
    private static partial Regex CardPattern();

    private sealed record DemoRequest(string Name, string Email, decimal Amount, string Currency, string Card);
}
