namespace AgentOrchestrator.Api.DeadLetters;

/// <summary>
/// A provider that sets nothing aside. DurableTask.AzureStorage keeps redelivering a message that keeps failing (its
/// dequeue count grows in the queue) and has no poison store to list; its own logs name such messages.
/// </summary>
/// <param name="provider">The provider's name, for the note staff read.</param>
public sealed class NoDeadLetters(string provider) : IDeadLetterSource
{
    /// <inheritdoc />
    public string? Unavailable { get; } =
        $"{provider} sets no poison messages aside: a message that keeps failing stays in its queue and is delivered again; see the host's logs.";

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetterView>> ListAsync(string? sessionId, int limit, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<DeadLetterView>>([]);

    /// <inheritdoc />
    public Task<bool> ResubmitAsync(long id, CancellationToken cancellationToken) => Task.FromResult(false);
}
