using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Api;

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
    /// <summary>
    /// Builds the view of a status for one audience (see <see cref="SessionPresenter"/>, which chooses the masks).
    /// </summary>
    /// <param name="status">The session's status.</param>
    /// <param name="text">Masks tool arguments and approval reasons.</param>
    /// <param name="error">Masks error messages.</param>
    public static SessionView From(SessionStatus status, Func<string, string> text, Func<string, string> error)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(error);
        var p = status.Progress;
        var approvals = p.PendingApprovals.Select(a => a with { Arguments = text(a.Arguments), Reason = a.Reason is null ? null : text(a.Reason) }).ToList();
        var parked = p.ParkedChains
            .Select(c => c with { Pending = [.. c.Pending.Select(s => s with { Arguments = text(s.Arguments), Error = error(s.Error) })] })
            .ToList();
        return new SessionView(
            status.SessionId, p.Owner, status.RuntimeStatus.ToString().ToLowerInvariant(), p.Phase, p.Turn, approvals, p.InputTokens, p.OutputTokens,
            p.Cost, p.NeedsAttention, parked, p.OpenChain, status.TerminationNote, status.CreatedAt, status.LastUpdatedAt);
    }
}
