using DurableTask.Core;
using DurableTask.Core.Common;
using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>
/// Plays DurableTask.Core's part by hand for a just-created <see cref="Chain"/>: claims it and checkpoints the first episode
/// (it schedules <see cref="Increment"/>(0), as the chain does), so tests can see or break the checkpoint itself.
/// </summary>
internal static class ManualEpisode
{
    /// <summary>Claims the next instance; fails the test when there is none.</summary>
    public static async Task<TaskOrchestrationWorkItem> LockAsync(SqliteOrchestrationService service)
        => await service.LockNextTaskOrchestrationWorkItemAsync(TimeSpan.FromSeconds(5), CancellationToken.None)
            ?? throw new InvalidOperationException("No work item was locked.");

    /// <summary>
    /// Checkpoints the chain's first episode: history and the Increment task; with <paramref name="withTimer"/> also a timer
    /// (which the real chain does not create: only for tests that never replay it).
    /// </summary>
    public static Task CompleteFirstEpisodeAsync(SqliteOrchestrationService service, TaskOrchestrationWorkItem item, bool withTimer = false)
    {
        var state = item.OrchestrationRuntimeState = new OrchestrationRuntimeState();
        state.AddEvent(new OrchestratorStartedEvent(-1));
        state.AddEvent(item.NewMessages.Single().Event);
        var scheduled = new TaskScheduledEvent(0, typeof(Increment).ToString(), string.Empty, "[0]");
        state.AddEvent(scheduled);
        if (withTimer)
        {
            state.AddEvent(new TimerCreatedEvent(1) { FireAt = DateTime.UtcNow.AddHours(1) });
        }

        state.AddEvent(new OrchestratorCompletedEvent(-1));
        var task = new TaskMessage { Event = scheduled, OrchestrationInstance = state.OrchestrationInstance };
        var timer = new TaskMessage { Event = new TimerFiredEvent(-1) { TimerId = 1, FireAt = DateTime.UtcNow.AddHours(1) }, OrchestrationInstance = state.OrchestrationInstance };
        return service.CompleteTaskOrchestrationWorkItemAsync(item, state, [task], [], withTimer ? [timer] : [], null, Utils.BuildOrchestrationState(state));
    }
}
