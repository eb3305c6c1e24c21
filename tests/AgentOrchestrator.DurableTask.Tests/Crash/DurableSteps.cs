using DurableTask.Core.History;

namespace AgentOrchestrator.DurableTask.Tests.Crash;

/// <summary>Which steps of a chain had a durable result, read from the store's history events (and waiting messages).</summary>
internal static class DurableSteps
{
    /// <summary>
    /// The steps of <paramref name="instanceId"/> whose <see cref="TaskCompletedEvent"/> is among <paramref name="events"/>.
    /// A result names its <see cref="TaskScheduledEvent"/> by id, and DTFx does not keep an activity's input in history;
    /// a chain's only actions are its steps, scheduled one after another, so step k has id k. The history is checked to
    /// say so, and every result must answer a step the history scheduled.
    /// </summary>
    public static IEnumerable<(string Instance, int Step)> Completed(string instanceId, IReadOnlyCollection<HistoryEvent> events)
    {
        var scheduled = events.OfType<TaskScheduledEvent>().Select(e => e.EventId).ToList();
        if (!scheduled.SequenceEqual(Enumerable.Range(0, scheduled.Count)))
        {
            throw new InvalidOperationException($"{instanceId}: steps were scheduled with ids {string.Join(", ", scheduled)}, not 0, 1, 2, ...");
        }

        foreach (var completed in events.OfType<TaskCompletedEvent>())
        {
            yield return completed.TaskScheduledId < scheduled.Count
                ? (instanceId, completed.TaskScheduledId)
                : throw new InvalidOperationException($"{instanceId}: a result for task {completed.TaskScheduledId}, which its history never scheduled.");
        }
    }
}
