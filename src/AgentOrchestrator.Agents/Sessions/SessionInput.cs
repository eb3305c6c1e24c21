namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The input of a session orchestration.</summary>
public sealed record SessionInput
{
    /// <summary>The principal that owns the session (an API key id); only it and staff may see the session.</summary>
    public required string Owner { get; init; }

    /// <summary>An optional first message, handled as soon as the session starts.</summary>
    public UserMessage? FirstMessage { get; init; }

    /// <summary>A hash of the starting request, so a start repeated with the same idempotency key can be told from a different one.</summary>
    public string? RequestFingerprint { get; init; }

    /// <summary>The compacted state a long session carries over when it continues as new; null at the start.</summary>
    public SessionCarry? Carry { get; init; }
}
