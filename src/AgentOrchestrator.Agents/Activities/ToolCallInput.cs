using AgentOrchestrator.Agents.EventLog;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>One attempt of a tool call or of a compensation.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Turn">The turn.</param>
/// <param name="CallId">The original call's id.</param>
/// <param name="Tool">The tool to call (the compensating tool for a compensation).</param>
/// <param name="Version">Its pinned version.</param>
/// <param name="Arguments">Arguments as JSON text.</param>
/// <param name="IdempotencyKey">The same on every attempt.</param>
/// <param name="Attempt">This attempt's number, from 1.</param>
/// <param name="MaxAttempts">Attempts allowed; the last one's failure is final.</param>
/// <param name="CompensationOf">For a compensation, the tool whose effect it undoes; null for a call.</param>
public sealed record ToolCallInput(
    string SessionId,
    int Turn,
    string CallId,
    string Tool,
    string Version,
    string Arguments,
    string IdempotencyKey,
    int Attempt,
    int MaxAttempts,
    string? CompensationOf)
{
    /// <summary>For a compensation, why the chain is being rolled back.</summary>
    public string? Reason { get; init; }

    /// <summary>How many times this attempt has already waited for the service's earlier attempt still in progress.</summary>
    public int Wait { get; init; }

    /// <summary>Names this delivery of the attempt in event keys: the attempt, and the wait within it when there was one.</summary>
    internal string AttemptKey => Wait == 0 ? $"{IdempotencyKey}:a{Attempt}" : $"{IdempotencyKey}:a{Attempt}:w{Wait}";

    /// <summary>Events the orchestration decided before this attempt (its <c>started</c> event last), written as it starts.</summary>
    public IReadOnlyList<SessionLogEntry> Events { get; init; } = [];

    /// <summary>The fields every event about this attempt carries.</summary>
    internal Dictionary<string, object?> Describe() => new()
    {
        ["turn"] = Turn,
        ["callId"] = CallId,
        ["tool"] = CompensationOf ?? Tool,
        ["compensationTool"] = CompensationOf is null ? null : Tool,
        ["idempotencyKey"] = IdempotencyKey,
        ["attempt"] = Attempt,
        ["arguments"] = JsonText.Parse(Arguments),
        ["reason"] = Reason,
    };

    /// <summary>The kind of this attempt's events: <c>tool.*</c> for a call, <c>compensation.*</c> for a compensation.</summary>
    internal string EventKind(string what) => $"{(CompensationOf is null ? "tool" : "compensation")}.{what}";
}
