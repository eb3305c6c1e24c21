namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>What an idempotency key says about a request.</summary>
/// <param name="Kind">Run, replay, refuse as reused, or refuse as in progress.</param>
/// <param name="Token">The claim's token, for an operation that claimed the key with a lease; null when the key is
/// merely free (a local operation then stores its response in the same transaction).</param>
/// <param name="Stored">The stored response to replay.</param>
/// <param name="RetryAfter">How long the key's claim still runs, for a request refused as in progress.</param>
internal sealed record IdempotencyClaim(IdempotencyClaimKind Kind, string? Token = null, ServiceResponse? Stored = null, TimeSpan? RetryAfter = null)
{
    public static IdempotencyClaim Free { get; } = new(IdempotencyClaimKind.Claimed);

    public static IdempotencyClaim Mismatch { get; } = new(IdempotencyClaimKind.Mismatch);

    public static IdempotencyClaim Busy(TimeSpan remaining) => new(IdempotencyClaimKind.InProgress, RetryAfter: remaining);

    public static IdempotencyClaim Claimed(string token) => new(IdempotencyClaimKind.Claimed, token);

    public static IdempotencyClaim Replay(ServiceResponse stored) => new(IdempotencyClaimKind.Replay, Stored: stored);
}
