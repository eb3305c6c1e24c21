using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// Fits a conversation into a token budget by leaving out its oldest turns. The leading system messages and the newest
/// messages always stay. A tool result is never separated from the assistant message that called the tool: the
/// conversation is only cut right before a message that is not a tool result. Dropped turns can be replaced by a short
/// note saying what was left out.
/// </summary>
public sealed class ContextWindowTrimmer
{
    private const int QuotedRequests = 3;
    private const int QuoteLength = 120;
    private readonly TokenCounter _counter;

    /// <summary>Creates a trimmer that counts with <paramref name="counter"/>.</summary>
    /// <param name="counter">The token counter of the model in use.</param>
    public ContextWindowTrimmer(TokenCounter counter)
    {
        ArgumentNullException.ThrowIfNull(counter);
        _counter = counter;
    }

    /// <summary>The conversation, trimmed to <paramref name="budget"/> tokens if it is over.</summary>
    /// <param name="messages">The whole conversation, oldest first.</param>
    /// <param name="budget">Tokens the messages may cost.</param>
    /// <param name="summarize">Whether to put a note about the dropped turns in their place.</param>
    public ContextTrimResult Trim(IReadOnlyList<ChatMessage> messages, int budget, bool summarize)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var total = _counter.Count(messages);
        if (total <= budget)
        {
            return new ContextTrimResult(messages, 0, total, true);
        }

        var headCount = 0;
        while (headCount < messages.Count && messages[headCount].Role == ChatRole.System)
        {
            headCount++;
        }

        var units = Units(messages, headCount);
        var headTokens = TokenCounter.ReplyPriming + messages.Take(headCount).Sum(_counter.Count);

        // Keep whole units from the newest back while they fit; the newest unit stays whatever it costs.
        var firstKept = units.Count - 1;
        var used = headTokens + units[firstKept].Tokens;
        while (firstKept > 0 && used + units[firstKept - 1].Tokens <= budget)
        {
            firstKept--;
            used += units[firstKept].Tokens;
        }

        ChatMessage? note = null;
        while (summarize && firstKept > 0)
        {
            note = Summary(messages, headCount, units[firstKept].Start);
            var noteTokens = _counter.Count(note);
            if (used + noteTokens <= budget || firstKept == units.Count - 1)
            {
                used += noteTokens;
                break;
            }

            used -= units[firstKept].Tokens;
            firstKept++;
        }

        var kept = new List<ChatMessage>(messages.Take(headCount));
        if (note is not null)
        {
            kept.Add(note);
        }

        kept.AddRange(messages.Skip(units[firstKept].Start));
        return new ContextTrimResult(kept, units[firstKept].Start - headCount, used, used <= budget);
    }

    private List<(int Start, int Tokens)> Units(IReadOnlyList<ChatMessage> messages, int headCount)
    {
        var units = new List<(int Start, int Tokens)>();
        for (var i = headCount; i < messages.Count; i++)
        {
            var tokens = _counter.Count(messages[i]);
            if (units.Count == 0 || messages[i].Role != ChatRole.Tool)
            {
                units.Add((i, tokens));
            }
            else
            {
                units[^1] = (units[^1].Start, units[^1].Tokens + tokens);
            }
        }

        return units;
    }

    private static ChatMessage Summary(IReadOnlyList<ChatMessage> messages, int from, int to)
    {
        var dropped = messages.Skip(from).Take(to - from).ToList();
        var requests = dropped.Where(m => m.Role == ChatRole.User && !string.IsNullOrWhiteSpace(m.Text))
            .TakeLast(QuotedRequests)
            .Select(m => "\"" + (m.Text.Length > QuoteLength ? m.Text[..QuoteLength] + "..." : m.Text) + "\"");
        var tools = dropped.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).Select(c => c.Name).Distinct(StringComparer.Ordinal);
        var text = $"[Context note] {dropped.Count} earlier message(s) of this conversation were left out to fit the context window.";
        var quoted = string.Join("; ", requests);
        if (quoted.Length > 0)
        {
            text += " Earlier user requests: " + quoted + ".";
        }

        var called = string.Join(", ", tools);
        if (called.Length > 0)
        {
            text += " Tools called earlier: " + called + ".";
        }

        return new ChatMessage(ChatRole.System, text);
    }
}
