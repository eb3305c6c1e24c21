namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>The outcome of claiming an idempotency key.</summary>
internal sealed record IdempotencyClaim(IdempotencyClaimKind Kind, string? Token = null, ServiceResponse? Stored = null)
{
    public static IdempotencyClaim Mismatch { get; } = new(IdempotencyClaimKind.Mismatch);

    public static IdempotencyClaim InProgress { get; } = new(IdempotencyClaimKind.InProgress);

    public static IdempotencyClaim Claimed(string token) => new(IdempotencyClaimKind.Claimed, token);

    public static IdempotencyClaim Replay(ServiceResponse stored) => new(IdempotencyClaimKind.Replay, Stored: stored);
}
