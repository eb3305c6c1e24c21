using System.Text.Json;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.SampleServices;
using AgentOrchestrator.SampleServices.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>
/// A whole agent service for scenario tests: the sample CRM and billing services on real Kestrel, the real
/// sample manifests, the session tasks on DTFx in process, sessions, and the given model.
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(30);

    private readonly IHost _host;
    private readonly string _folder;

    private AgentHarness(SampleServicesHost services, IHost host, string folder)
    {
        Services = services;
        _host = host;
        _folder = folder;
    }

    public SampleServicesHost Services { get; }

    public AgentSessionClient Client => _host.Services.GetRequiredService<AgentSessionClient>();

    /// <summary>The agent host's services, for tests that run one activity by hand.</summary>
    public IServiceProvider HostServices => _host.Services;

    public DurableTaskClient Durable => _host.Services.GetRequiredService<DurableTaskClient>();

    public static async Task<AgentHarness> StartAsync(
        IChatClient model,
        Action<SampleServicesOptions>? configureServices = null,
        Action<IDictionary<string, string?>>? configure = null,
        Action<IServiceCollection>? configureHost = null)
    {
        var services = await SampleServicesHost.StartAsync(o =>
        {
            o.Crm.ApiKey = AgentHostSetup.CrmKey;
            o.Billing.ApiKey = AgentHostSetup.BillingKey;
            configureServices?.Invoke(o);
        });
        var folder = Path.Combine(Path.GetTempPath(), "ao-agents-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var settings = AgentHostSetup.Settings(services.BaseAddress);
        configure?.Invoke(settings);
        var builder = AgentHostSetup.CreateBuilder(settings, model, Path.Combine(folder, "sessions.db"));
        configureHost?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new AgentHarness(services, host, folder);
    }

    /// <summary>Waits for the session's first event of <paramref name="kind"/> that matches, after <paramref name="after"/>.</summary>
    public async Task<SessionEvent> WaitForEventAsync(string sessionId, string kind, Func<SessionEvent, bool>? match = null, long after = 0, TimeSpan? timeout = null)
    {
        var notifier = _host.Services.GetRequiredService<SessionEventNotifier>();
        using var deadline = new CancellationTokenSource(timeout ?? DefaultWait);
        var seen = new List<string>();
        while (true)
        {
            var appended = notifier.NextAppendAsync(sessionId);
            foreach (var e in await Client.ReadEventsAsync(sessionId, after, 1000))
            {
                after = e.Sequence;
                seen.Add(e.Kind);
                if (e.Kind == kind && (match?.Invoke(e) ?? true))
                {
                    return e;
                }
            }

            try
            {
                // Every writer is in this process and notifies after appending; the wake-up was taken before
                // the read, so an append in between is not missed.
                await appended.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var status = await Client.GetStatusAsync(sessionId);
                throw new TimeoutException($"No '{kind}' event in session {sessionId}. Events seen: {string.Join(", ", seen)}. "
                    + $"Status: {status?.RuntimeStatus} {JsonSerializer.Serialize(status?.Progress)}.");
            }
        }
    }

    /// <summary>Waits until turn <paramref name="turn"/> has completed and returns its <c>turn.completed</c> event.</summary>
    public Task<SessionEvent> WaitForTurnAsync(string sessionId, int turn, TimeSpan? timeout = null)
        => WaitForEventAsync(sessionId, SessionEventKinds.TurnCompleted, e => e.Data.GetProperty("turn").GetInt32() == turn, timeout: timeout);

    /// <summary>
    /// Waits until the session's published status satisfies <paramref name="condition"/>. The status follows the
    /// event log by one checkpoint (the final answer's activity records <c>turn.completed</c> before the
    /// orchestration publishes <c>idle</c>).
    /// </summary>
    public async Task<SessionStatus> WaitForStatusAsync(string sessionId, Func<SessionStatus, bool> condition, TimeSpan? timeout = null)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        using var deadline = new CancellationTokenSource(timeout ?? DefaultWait);
        SessionStatus? status = null;
        try
        {
            while (await timer.WaitForNextTickAsync(deadline.Token))
            {
                status = await Client.GetStatusAsync(sessionId);
                if (status is not null && condition(status))
                {
                    return status;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"Session {sessionId} never reached the expected status; last: {JsonSerializer.Serialize(status)}");
    }

    public async Task<IReadOnlyList<SessionEvent>> EventsAsync(string sessionId) => await Client.ReadEventsAsync(sessionId, 0, 10_000);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await Services.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean up.
        }
    }
}
