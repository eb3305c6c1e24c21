namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// What <see cref="OrderAudit"/> found: the problems (none when all is well; each session with a problem is followed by an
/// indented line with its status and events) and what it counted.
/// </summary>
internal sealed record OrderAuditReport(
    IReadOnlyList<string> Problems,
    int Orders,
    int Declined,
    int SucceededPayments,
    int VoidInvoices,
    int DeletedContacts,
    int ServerErrors,
    int AbortedRequests)
{
    /// <summary>One line for the test output and the reliability notes.</summary>
    public override string ToString()
        => $"{Orders} orders ({Declined} declined): {SucceededPayments} succeeded payments, {VoidInvoices} void invoices, {DeletedContacts} deleted contacts; "
            + $"{ServerErrors} 5xx answers, {AbortedRequests} requests cut off by a kill; {Problems.Count(p => !p.StartsWith(' '))} problems";
}
