using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Host.Api;

/// <summary>A session as the API shows it: where it stands, what it waits for, what it cost, and whether staff must act.</summary>
public sealed record SessionView(
    string SessionId,
    string Owner,
    string Status,
    string Phase,
    int Turn,
    IReadOnlyList<PendingApproval> PendingApprovals,
    long InputTokens,
    long OutputTokens,
    decimal Cost,
    bool NeedsAttention,
    IReadOnlyList<ParkedChain> ParkedChains,
    IReadOnlyList<string> OpenChain,
    string? TerminationNote,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt)
{
    /// <summary>Builds the view of a status; tool arguments and errors are masked for the audience (<see cref="Redaction"/>).</summary>
    /// <param name="status">The session's status.</param>
    /// <param name="forStaff">True for support staff (personal data masked too), false for the session's own client.</param>
    public static SessionView From(SessionStatus status, bool forStaff = false)
    {
        ArgumentNullException.ThrowIfNull(status);
        Func<string, string> mask = forStaff ? Redaction.ForStaff : Redaction.ForClient;
        var p = status.Progress;
        var approvals = p.PendingApprovals.Select(a => a with { Arguments = mask(a.Arguments) }).ToList();
        var parked = p.ParkedChains
            .Select(c => c with { Pending = [.. c.Pending.Select(s => s with { Arguments = mask(s.Arguments), Error = mask(s.Error) })] })
            .ToList();
        return new SessionView(
            status.SessionId, p.Owner, status.RuntimeStatus.ToString().ToLowerInvariant(), p.Phase, p.Turn, approvals, p.InputTokens, p.OutputTokens,
            p.Cost, p.NeedsAttention, parked, p.OpenChain, status.TerminationNote, status.CreatedAt, status.LastUpdatedAt);
    }
}
