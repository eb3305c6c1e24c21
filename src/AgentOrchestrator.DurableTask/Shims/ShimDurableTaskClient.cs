using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using Core = DurableTask.Core;

namespace AgentOrchestrator.DurableTask.Shims;

/// <summary>
/// The SDK's <see cref="DurableTaskClient"/> over a DTFx <see cref="IOrchestrationServiceClient"/> (with its query and
/// purge sides), in process. Microsoft's own shim package is not served to this project, and it differs on purpose in
/// two places: waits wake as soon as this process's worker commits (not on a 1-2 s poll), and a start never replaces an
/// instance that is still running (see <see cref="ScheduleNewOrchestrationInstanceAsync"/>).
/// Set as the client's build target by <c>UseOrchestrationService()</c>.
/// </summary>
public sealed partial class ShimDurableTaskClient : DurableTaskClient
{
    private static readonly Core.OrchestrationStatus[] RunningStatuses =
        [Core.OrchestrationStatus.Pending, Core.OrchestrationStatus.Running, Core.OrchestrationStatus.Suspended];

    private readonly TaskHubStorage _storage;
    private readonly TimeProvider _time;

    /// <summary>Creates the client; the SDK's builder calls this.</summary>
    /// <param name="name">The client's name (the builder's).</param>
    /// <param name="options">The SDK client options (data converter).</param>
    /// <param name="storage">The orchestration service.</param>
    /// <param name="time">The clock polls wait on.</param>
    public ShimDurableTaskClient(string name, IOptionsMonitor<DurableTaskClientOptions> options, TaskHubStorage storage, TimeProvider time)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        _time = time;
        DataConverter = options.Get(name).DataConverter;
    }

    private DataConverter DataConverter { get; }

    private IOrchestrationServiceClient Client => _storage.Client;

    /// <inheritdoc />
    /// <remarks>
    /// Without <see cref="StartOrchestrationOptions.DedupeStatuses"/>, an instance id that belongs to a finished instance
    /// (completed, failed, terminated) starts it anew, and one that belongs to a pending, running or suspended instance
    /// throws <see cref="Core.Exceptions.OrchestrationAlreadyExistsException"/>: a running instance is never replaced by a
    /// start (Durable Functions' default; Microsoft's shim would terminate it). Terminate it first to replace it.
    /// </remarks>
    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(
        TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestratorName.Name, nameof(orchestratorName));
        cancellation.ThrowIfCancellationRequested();
        await _storage.EnsureCreatedAsync().WaitAsync(cancellation).ConfigureAwait(false);
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var started = new ExecutionStartedEvent(-1, DataConverter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version ?? string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags?.ToDictionary(t => t.Key, t => t.Value),
        };
        await Client.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, DedupeStatuses(options)).ConfigureAwait(false);
        return instance.InstanceId;
    }

    /// <inheritdoc />
    public override async Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        await SendAsync(instanceId, new EventRaisedEvent(-1, DataConverter.Serialize(eventPayload)) { Name = eventName }, cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason), cancellation);

    /// <inheritdoc />
    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default)
        => SendAsync(instanceId, new ExecutionResumedEvent(-1, reason), cancellation);

    /// <inheritdoc />
    /// <remarks>Sub-orchestrations are not terminated with their parent (<see cref="TerminateInstanceOptions.Recursive"/> is refused).</remarks>
    public override async Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        if (options?.Recursive == true)
        {
            throw new NotSupportedException("Recursive termination is not supported: terminate each sub-orchestration by its id.");
        }

        cancellation.ThrowIfCancellationRequested();
        await _storage.EnsureCreatedAsync().WaitAsync(cancellation).ConfigureAwait(false);
        await Client.ForceTerminateTaskOrchestrationAsync(instanceId, DataConverter.Serialize(options?.Output)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask; // the storage belongs to the host, not the client

    private static Core.OrchestrationStatus[] DedupeStatuses(StartOrchestrationOptions? options)
    {
        var statuses = new HashSet<Core.OrchestrationStatus>(RunningStatuses);
        foreach (var name in options?.DedupeStatuses ?? [])
        {
            if (!Enum.TryParse<OrchestrationRuntimeStatus>(name, ignoreCase: true, out var status) || !Enum.IsDefined(status))
            {
                throw new ArgumentException($"'{name}' in DedupeStatuses is not an orchestration runtime status.", nameof(options));
            }

            statuses.Add(status.ToCore());
        }

        return [.. statuses];
    }

    private async Task SendAsync(string instanceId, HistoryEvent @event, CancellationToken cancellation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        cancellation.ThrowIfCancellationRequested();
        await _storage.EnsureCreatedAsync().WaitAsync(cancellation).ConfigureAwait(false);
        await Client.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = @event })
            .ConfigureAwait(false);
    }
}
