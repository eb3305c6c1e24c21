using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Host.Api;

/// <summary>A session as the API shows it.</summary>
public sealed record SessionView(
    string SessionId,
    string Status,
    string Phase,
    int Turn,
    IReadOnlyList<PendingApproval> PendingApprovals,
    long InputTokens,
    long OutputTokens,
    decimal Cost,
    bool NeedsAttention,
    IReadOnlyList<ParkedChain> ParkedChains,
    string? TerminationNote,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt)
{
    /// <summary>Builds the view of a status.</summary>
    public static SessionView From(SessionStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var p = status.Progress;
        return new SessionView(
            status.SessionId, status.RuntimeStatus.ToString().ToLowerInvariant(), p.Phase, p.Turn, p.PendingApprovals, p.InputTokens, p.OutputTokens,
            p.Cost, p.NeedsAttention, p.ParkedChains, status.TerminationNote, status.CreatedAt, status.LastUpdatedAt);
    }
}
