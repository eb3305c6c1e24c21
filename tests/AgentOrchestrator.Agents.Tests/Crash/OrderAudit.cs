using System.Text.Json;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// What a user would notice after order sessions ran through crashes, counted where it happened: in the CRM's and the
/// billing service's own tables (read past their APIs), and in each session's event log and status. Every order must
/// have its one contact, one invoice and one payment; a good card leaves them live and paid, a declined card leaves the
/// invoice void and the contact deleted, each undone once; no session is lost or left mid-turn.
/// </summary>
internal static class OrderAudit
{
    /// <summary>Audits <paramref name="orders"/> (which must be all the orders the services saw) and returns what is wrong, one line each.</summary>
    public static async Task<OrderAuditReport> RunAsync(SampleServicesHost samples, AgentSessionClient client, IReadOnlyList<OrderSession> orders)
    {
        var problems = new List<string>();
        var contacts = (await samples.QueryAsync("crm", "SELECT id, email, deleted_at FROM contacts"))
            .Select(r => (Id: (string)r[0]!, Email: (string)r[1]!, Deleted: r[2] is not null)).ToList();
        var invoices = (await samples.QueryAsync("billing", "SELECT id, contact_id, voided_at FROM invoices"))
            .Select(r => (Id: (string)r[0]!, Contact: (string)r[1]!, Void: r[2] is not null)).ToList();
        var payments = (await samples.QueryAsync("billing", "SELECT id, invoice_id, status FROM payments"))
            .Select(r => (Id: (string)r[0]!, Invoice: (string)r[1]!, Status: (string)r[2]!)).ToList();
        var undoKeys = (await samples.QueryAsync("crm", "SELECT key FROM idempotency_keys WHERE key LIKE '%:compensate'"))
            .Concat(await samples.QueryAsync("billing", "SELECT key FROM idempotency_keys WHERE key LIKE '%:compensate'"))
            .Select(r => (string)r[0]!).Order(StringComparer.Ordinal).ToList();

        foreach (var order in orders)
        {
            var before = problems.Count;
            AuditData(order, contacts, invoices, payments, problems);
            await AuditSessionAsync(order, client, problems);
            if (problems.Count > before)
            {
                problems.Add("  " + await DescribeAsync(client, order.SessionId));
            }
        }

        // Nothing happened outside the orders: no stray contact, invoice or payment, and exactly the expected undos.
        Expect(problems, contacts.Count == orders.Count, $"the CRM holds {contacts.Count} contacts for {orders.Count} orders");
        Expect(problems, invoices.Count == orders.Count, $"billing holds {invoices.Count} invoices for {orders.Count} orders");
        Expect(problems, payments.Count == orders.Count, $"billing holds {payments.Count} payments for {orders.Count} orders");
        var expectedUndos = orders.Where(o => o.Declined).SelectMany(o => new[] { $"{o.SessionId}:1:c1:compensate", $"{o.SessionId}:1:c2:compensate" })
            .Order(StringComparer.Ordinal).ToList();
        Expect(problems, undoKeys.SequenceEqual(expectedUndos),
            $"the services saw compensations [{string.Join(", ", undoKeys.Except(expectedUndos))}] beyond, and miss [{string.Join(", ", expectedUndos.Except(undoKeys))}] of, the declined orders' two each");
        Expect(problems, samples.ServerErrors.Count == 0, $"the services answered 5xx: {string.Join("; ", samples.ServerErrors)}");

        return new OrderAuditReport(
            problems,
            Orders: orders.Count,
            Declined: orders.Count(o => o.Declined),
            SucceededPayments: payments.Count(p => p.Status == "succeeded"),
            VoidInvoices: invoices.Count(i => i.Void),
            DeletedContacts: contacts.Count(c => c.Deleted),
            ServerErrors: samples.ServerErrors.Count,
            AbortedRequests: samples.AbortedRequests);
    }

    /// <summary>
    /// Polls (with a deadline) until every order's first turn has completed and its session reports idle; returns the
    /// orders still unfinished at the deadline, each with where it stands.
    /// </summary>
    public static async Task<IReadOnlyList<string>> WaitForAllAsync(AgentSessionClient client, IReadOnlyList<OrderSession> orders, TimeSpan timeout)
    {
        var pending = orders.ToList();
        using var deadline = new CancellationTokenSource(timeout);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                var finished = new List<OrderSession>();
                foreach (var order in pending)
                {
                    if (await IsFinishedAsync(client, order.SessionId))
                    {
                        finished.Add(order);
                    }
                }

                pending.RemoveAll(finished.Contains);
            }
            while (pending.Count > 0 && await tick.WaitForNextTickAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }

        var unfinished = new List<string>();
        foreach (var order in pending)
        {
            unfinished.Add(await DescribeAsync(client, order.SessionId));
        }

        return unfinished;
    }

    /// <summary>Whether the session's first turn completed and the session reports idle.</summary>
    public static async Task<bool> IsFinishedAsync(AgentSessionClient client, string sessionId)
    {
        var completed = await client.ReadEventsAsync(sessionId, 0, 10_000);
        if (!completed.Any(e => e.Kind == SessionEventKinds.TurnCompleted))
        {
            return false;
        }

        var status = await client.GetStatusAsync(sessionId);
        return status is { RuntimeStatus: OrchestrationRuntimeStatus.Running, Progress.Phase: SessionPhases.Idle };
    }

    /// <summary>A session's status and the kinds of its events, for a failure message.</summary>
    public static async Task<string> DescribeAsync(AgentSessionClient client, string sessionId)
    {
        var status = await client.GetStatusAsync(sessionId);
        var events = await client.ReadEventsAsync(sessionId, 0, 10_000);
        return $"{sessionId}: {status?.RuntimeStatus.ToString() ?? "not found"}/{status?.Progress.Phase} events [{string.Join(", ", events.Select(Describe))}]";
    }

    private static void AuditData(
        OrderSession order,
        List<(string Id, string Email, bool Deleted)> contacts,
        List<(string Id, string Contact, bool Void)> invoices,
        List<(string Id, string Invoice, string Status)> payments,
        List<string> problems)
    {
        var name = $"{order.SessionId} ({order.Email}, {(order.Declined ? "declined" : "good")} card)";
        var mine = contacts.Where(c => string.Equals(c.Email, order.Email, StringComparison.OrdinalIgnoreCase)).ToList();
        if (mine.Count != 1)
        {
            problems.Add($"{name}: {mine.Count} contacts in the CRM");
            return;
        }

        var contact = mine[0];
        var billed = invoices.Where(i => i.Contact == contact.Id).ToList();
        if (billed.Count != 1)
        {
            problems.Add($"{name}: {billed.Count} invoices for contact {contact.Id}");
            return;
        }

        var invoice = billed[0];
        var paid = payments.Where(p => p.Invoice == invoice.Id).ToList();
        if (paid.Count != 1)
        {
            problems.Add($"{name}: {paid.Count} payments for invoice {invoice.Id} ({string.Join(", ", paid.Select(p => p.Status))})");
            return;
        }

        var (contactDeleted, invoiceVoid, paymentStatus) = order.Declined ? (true, true, "failed") : (false, false, "succeeded");
        Expect(problems, paid[0].Status == paymentStatus, $"{name}: payment {paid[0].Id} is {paid[0].Status}");
        Expect(problems, invoice.Void == invoiceVoid, $"{name}: invoice {invoice.Id} is {(invoice.Void ? "void" : "not void")}");
        Expect(problems, contact.Deleted == contactDeleted, $"{name}: contact {contact.Id} is {(contact.Deleted ? "deleted" : "live")}");
    }

    private static async Task AuditSessionAsync(OrderSession order, AgentSessionClient client, List<string> problems)
    {
        var status = await client.GetStatusAsync(order.SessionId);
        if (status is null)
        {
            problems.Add($"{order.SessionId}: the session is lost (no such instance)");
            return;
        }

        var events = await client.ReadEventsAsync(order.SessionId, 0, 10_000);
        var turns = events.Where(e => e.Kind == SessionEventKinds.TurnCompleted).ToList();
        Expect(problems, turns.Count == 1 && turns[0].Data.GetProperty("outcome").GetString() == "completed",
            $"{order.SessionId}: turn endings [{string.Join(", ", turns.Select(Describe))}]");
        Expect(problems, status.RuntimeStatus == OrchestrationRuntimeStatus.Running && status.Progress.Phase == SessionPhases.Idle && !status.Progress.NeedsAttention,
            $"{order.SessionId}: status {status.RuntimeStatus}/{status.Progress.Phase}, needs attention {status.Progress.NeedsAttention}");
        var completedCalls = events.Where(e => e.Kind == SessionEventKinds.ToolCompleted).Select(CallId).ToList();
        Expect(problems, completedCalls.Distinct().Count() == completedCalls.Count, $"{order.SessionId}: tool.completed for [{string.Join(", ", completedCalls)}]");
        var undone = events.Where(e => e.Kind == SessionEventKinds.CompensationCompleted).ToList();
        var expected = order.Declined ? new[] { "c2", "c1" } : [];
        Expect(problems, undone.Select(CallId).SequenceEqual(expected), $"{order.SessionId}: compensated [{string.Join(", ", undone.Select(CallId))}], expected [{string.Join(", ", expected)}]");
        Expect(problems, !undone.Any(e => e.Data.GetProperty("result") is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("alreadyDeleted", out var already) && already.GetBoolean()),
            $"{order.SessionId}: a compensation deleted a contact that was already deleted");
        Expect(problems, !events.Any(e => e.Kind is SessionEventKinds.CompensationFailed or SessionEventKinds.ChainParked or SessionEventKinds.ModelFailed),
            $"{order.SessionId}: [{string.Join(", ", events.Where(e => e.Kind is SessionEventKinds.CompensationFailed or SessionEventKinds.ChainParked or SessionEventKinds.ModelFailed).Select(Describe))}]");
    }

    private static string CallId(SessionEvent e) => e.Data.GetProperty("callId").GetString()!;

    private static string Describe(SessionEvent e)
    {
        var details = new List<string>();
        foreach (var field in new[] { "callId", "outcome", "step", "attempts", "error", "code" })
        {
            if (e.Data.TryGetProperty(field, out var value) && value.ValueKind is not JsonValueKind.Null)
            {
                details.Add(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
            }
        }

        return details.Count == 0 ? $"#{e.Sequence} {e.Kind}" : $"#{e.Sequence} {e.Kind}({string.Join(" ", details)})";
    }

    private static void Expect(List<string> problems, bool condition, string problem)
    {
        if (!condition)
        {
            problems.Add(problem);
        }
    }
}
