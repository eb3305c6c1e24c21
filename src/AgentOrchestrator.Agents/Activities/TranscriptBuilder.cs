using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentOrchestrator.Agents.EventLog;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Rebuilds the conversation the model sees from the session's event log.</summary>
internal static class TranscriptBuilder
{
    /// <summary>The log kind of transcript entries.</summary>
    public const string Kind = "transcript";

    /// <summary>
    /// The role of the entry an aborted turn ends with (cancel, deadline, budget, limit): the model sees it as a note of
    /// what happened, and nothing the turn's model calls answered after it.
    /// </summary>
    public const string AbortRole = "turn_aborted";

    private static readonly ConditionalWeakTable<TranscriptMessage, ChatMessage> Built = new();

    public static List<TranscriptMessage> Parse(IEnumerable<SessionLogRecord> records)
        => [.. records.Where(r => r.Kind == Kind).Select(r => SessionJson.Deserialize<TranscriptMessage>(r.Data)!)];

    /// <summary>
    /// The conversation for the model: the system prompt, then each transcript entry as a chat message. An entry's message
    /// is built once and reused by the session's later calls (the transcript cache keeps the same entries), so a long
    /// session does not rebuild and re-parse its whole past on every call. The gateway's clients copy messages they change.
    /// An aborted turn keeps what happened before its abort; a model answer that arrived after it (the call was cancelled
    /// while it hung) is left out, and a call that was asked for but never answered gets a "not run" result, so the
    /// conversation stays one the model's API accepts.
    /// </summary>
    public static List<ChatMessage> Build(string systemPrompt, IReadOnlyList<TranscriptMessage> transcript)
    {
        var aborted = transcript.Where(m => m.Role == AbortRole).ToDictionary(m => m.Turn, m => m.Step);
        var answered = transcript.Where(m => m.Role == "tool" && m.CallId is not null).Select(m => m.CallId!).ToHashSet(StringComparer.Ordinal);
        var messages = new List<ChatMessage> { new(ChatRole.System, systemPrompt) };
        foreach (var entry in transcript)
        {
            if (entry.Role == "assistant" && aborted.TryGetValue(entry.Turn, out var lastStep) && entry.Step > lastStep)
            {
                continue; // answered after its turn was aborted
            }

            messages.Add(Built.GetValue(entry, ToChatMessage));
            foreach (var call in entry.Role == "assistant" ? entry.ToolCalls ?? [] : [])
            {
                if (!answered.Contains(call.CallId))
                {
                    messages.Add(new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, """{"error":"not_run","message":"The turn stopped before this call ran."}""")]));
                }
            }
        }

        return messages;
    }

    /// <summary>Finds the recorded answer of a model step that already ran (an activity may run twice).</summary>
    public static ModelCallResult? FindRecorded(IEnumerable<TranscriptMessage> transcript, int turn, int step)
        => transcript.LastOrDefault(m => m.Role == "assistant" && m.Turn == turn && m.Step == step)?.Result;

    private static ChatMessage ToChatMessage(TranscriptMessage entry) => entry.Role switch
    {
        "user" => new ChatMessage(ChatRole.User, entry.Text),
        "tool" => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(entry.CallId!, entry.Text)]),
        AbortRole => new ChatMessage(ChatRole.System, $"The turn ended early: {entry.Text}"),
        _ => Assistant(entry),
    };

    private static ChatMessage Assistant(TranscriptMessage entry)
    {
        var contents = new List<AIContent>();
        if (!string.IsNullOrEmpty(entry.Text))
        {
            contents.Add(new TextContent(entry.Text));
        }

        foreach (var call in entry.ToolCalls ?? [])
        {
            contents.Add(new FunctionCallContent(call.CallId, call.Name, ParseArguments(call.Arguments)));
        }

        return new ChatMessage(ChatRole.Assistant, contents);
    }

    private static Dictionary<string, object?>? ParseArguments(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, object?>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
