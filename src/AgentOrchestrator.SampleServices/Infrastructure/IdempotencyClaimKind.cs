namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>What claiming an idempotency key found.</summary>
internal enum IdempotencyClaimKind
{
    /// <summary>The key is free, or this request's claim: run it.</summary>
    Claimed,

    /// <summary>The key completed with the same parameters: replay the stored response.</summary>
    Replay,

    /// <summary>The key was used with other parameters: 422.</summary>
    Mismatch,

    /// <summary>The key's first request still holds its claim: 409 with Retry-After.</summary>
    InProgress,
}
