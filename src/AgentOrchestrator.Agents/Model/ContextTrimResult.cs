using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Model;

/// <summary>The outcome of fitting a conversation into a token budget.</summary>
/// <param name="Messages">The messages to send: leading system messages, an optional summary note, then the newest turns.</param>
/// <param name="DroppedMessages">How many older messages were left out.</param>
/// <param name="TokenCount">Tokens the returned messages cost.</param>
/// <param name="FitsBudget">False when even the newest turn alone is over the budget (it is sent anyway).</param>
public sealed record ContextTrimResult(IReadOnlyList<ChatMessage> Messages, int DroppedMessages, int TokenCount, bool FitsBudget);
