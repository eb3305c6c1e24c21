namespace AgentOrchestrator.Agents.Sessions;

/// <summary>A start reused an idempotency key with a different request: nothing was started.</summary>
public sealed class IdempotencyKeyReusedException(string key)
    : InvalidOperationException($"The idempotency key '{key}' was already used to start a session with a different first message.")
{
    /// <summary>The reused key.</summary>
    public string Key { get; } = key;
}
