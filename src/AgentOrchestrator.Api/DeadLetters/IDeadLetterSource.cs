namespace AgentOrchestrator.Api.DeadLetters;

/// <summary>What the orchestration service set aside because it could not be delivered (poison messages), for staff.</summary>
public interface IDeadLetterSource
{
    /// <summary>Null when the provider keeps nothing aside; otherwise why not, for the page and the API to say.</summary>
    string? Unavailable { get; }

    /// <summary>The set-aside messages, newest first; only those of <paramref name="sessionId"/> when it is given.</summary>
    Task<IReadOnlyList<DeadLetterView>> ListAsync(string? sessionId, int limit, CancellationToken cancellationToken);

    /// <summary>Puts a set-aside message back; false when there is no such message or it cannot be put back.</summary>
    Task<bool> ResubmitAsync(long id, CancellationToken cancellationToken);
}
