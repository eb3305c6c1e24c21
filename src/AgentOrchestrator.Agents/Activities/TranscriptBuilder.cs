using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Rebuilds the conversation the model sees from the session's event log.</summary>
internal static class TranscriptBuilder
{
    private static readonly ConditionalWeakTable<TranscriptMessage, ChatMessage> Built = new();

    /// <summary>The log kind of transcript entries.</summary>
    public const string Kind = "transcript";

    public static List<TranscriptMessage> Parse(IEnumerable<InstanceLogRecord> records)
        => [.. records.Where(r => r.Kind == Kind).Select(r => DataConverter.Deserialize<TranscriptMessage>(r.Data)!)];

    /// <summary>
    /// The conversation for the model: the system prompt, then each transcript entry as a chat message. An entry's message
    /// is built once and reused by the session's later calls (the transcript cache keeps the same entries), so a long
    /// session does not rebuild and re-parse its whole past on every call. The gateway's clients copy messages they change.
    /// </summary>
    public static List<ChatMessage> Build(string systemPrompt, IEnumerable<TranscriptMessage> transcript)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, systemPrompt) };
        foreach (var entry in transcript)
        {
            messages.Add(Built.GetValue(entry, ToChatMessage));
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
