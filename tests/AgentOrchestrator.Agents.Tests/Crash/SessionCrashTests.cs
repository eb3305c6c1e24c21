using System.Net;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using AgentOrchestrator.Testing;
using Microsoft.Extensions.DependencyInjection;
using static AgentOrchestrator.Agents.Tests.Sessions.SagaScenarioTests;

namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>
/// A real agent worker process kills itself with SIGKILL right after a tool did its work and before the worker recorded
/// it; a second worker process on the same SQLite file picks the session up (at once: the dead process's locks are freed
/// when the new one starts).
/// </summary>
[Trait("Category", "Crash")]
public sealed class SessionCrashTests : IAsyncLifetime
{
    private const string WorkerName = "AgentOrchestrator.Agents.CrashWorker";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ao-agent-crash-" + Guid.NewGuid().ToString("N"));
    private SampleServicesHost _samples = null!;
    private ServiceProvider _services = null!;
    private AgentSessionClient _client = null!;

    private string Database => Path.Combine(_folder, "sessions.db");

    private string Marker => Path.Combine(_folder, "crashed.marker");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _samples = await SampleServicesHost.StartAsync(o =>
        {
            o.Crm.ApiKey = AgentHostSetup.CrmKey;
            o.Billing.ApiKey = AgentHostSetup.BillingKey;
        });
        _services = AgentHostSetup.ClientOnly(Database);
        _client = _services.GetRequiredService<AgentSessionClient>();
    }

    [Fact]
    public async Task Worker_KilledAfterChargeBeforeRecording_RestartChargesOnceAndRollsNothingBack()
    {
        var session = await RunThroughCrashAsync(SampleScripts.GoodCard, "billing_charge_payment");

        var (completed, events) = await WaitForTurnAsync(session);
        Assert.Equal("completed", completed.Data.GetProperty("outcome").GetString());
        var invoiceId = ResultId(events, "c2");
        var payments = Items(await _samples.GetJsonAsync($"/billing/payments?invoiceId={invoiceId}"));
        Assert.Single(payments.EnumerateArray());
        Assert.Equal("paid", (await _samples.GetJsonAsync($"/billing/invoices/{invoiceId}")).GetProperty("status").GetString());
        Assert.DoesNotContain(events, e => e.Kind.StartsWith("compensation.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Worker_KilledMidRollback_RestartFinishesRollbackOfCompletedStepsOnly()
    {
        var session = await RunThroughCrashAsync(SampleScripts.DeclinedCard, "billing_void_invoice");

        var (completed, events) = await WaitForTurnAsync(session);
        Assert.Equal("completed", completed.Data.GetProperty("outcome").GetString());
        Assert.Equal("void", (await _samples.GetJsonAsync($"/billing/invoices/{ResultId(events, "c2")}")).GetProperty("status").GetString());
        using var contact = await _samples.Client.GetAsync($"/crm/contacts/{ResultId(events, "c1")}");
        Assert.Equal(HttpStatusCode.NotFound, contact.StatusCode);
        var compensated = events.Where(e => e.Kind == SessionEventKinds.CompensationCompleted).Select(e => e.Data.GetProperty("callId").GetString()).ToList();
        Assert.Equal(["c2", "c1"], compensated);
        Assert.DoesNotContain(events, e => e.Kind.StartsWith("compensation.", StringComparison.Ordinal) && e.Data.GetProperty("callId").GetString() == "c3");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _samples.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS when a file is still held.
        }
    }

    private async Task<SessionStart> RunThroughCrashAsync(string card, string crashAfter)
    {
        var session = await _client.StartSessionAsync("client-a", "Set up Ada Lovelace and charge her 42 EUR.");
        await using (var first = await StartWorkerAsync(card, "--crash-after", crashAfter, "--marker", Marker))
        {
            try
            {
                Assert.Equal(137, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }
            catch (TimeoutException)
            {
                var events = await _client.ReadEventsAsync(session.SessionId, 0, 1000);
                var status = await _client.GetStatusAsync(session.SessionId);
                throw new TimeoutException($"The worker did not crash after {crashAfter}. Status: {status?.RuntimeStatus}/{status?.Progress.Phase}; "
                    + $"events: {string.Join(", ", events.Select(e => e.Kind))}; worker errors: {first.Errors}");
            }
        }

        Assert.True(File.Exists(Marker), $"The worker should have crashed right after {crashAfter} succeeded.");
        return session;
    }

    private Task<WorkerProcess> StartWorkerAsync(string card, params string[] extra)
        => WorkerProcess.StartAsync(WorkerName, ["--db", Database, "--samples", _samples.BaseAddress.ToString(), "--card", card, .. extra]);

    /// <summary>Starts a second worker and polls the shared store (no in-process wake-up across processes) until turn 1 completes.</summary>
    private async Task<(SessionEvent Completed, IReadOnlyList<SessionEvent> Events)> WaitForTurnAsync(SessionStart session)
    {
        await using var second = await StartWorkerAsync(SampleScripts.GoodCard);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await timer.WaitForNextTickAsync(deadline.Token))
        {
            var events = await _client.ReadEventsAsync(session.SessionId, 0, 10_000);
            if (events.FirstOrDefault(e => e.Kind == SessionEventKinds.TurnCompleted) is { } completed)
            {
                return (completed, events);
            }
        }

        throw new TimeoutException("The restarted worker did not finish the turn.");
    }
}
