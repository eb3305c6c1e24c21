using DurableTask.Core;
using DurableTask.Core.Exceptions;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Extended sessions. After a checkpoint that kept the lock, DurableTask.Core asks the session for the instance's next
/// messages and runs them on the orchestration it still holds in memory, so the history is not replayed. The session waits
/// for messages up to <see cref="SqliteOrchestrationServiceSettings.ExtendedSessionIdleTimeout"/>: woken at once when this
/// process commits one, within <see cref="SqliteOrchestrationServiceSettings.ChangePollingInterval"/> when another process
/// does, at the due time of its own durable timers; meanwhile it renews the lock before half of it has run out. An activity
/// of this process that completes for a held instance hands its result to the session directly (<see cref="DirectResult"/>).
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>The instance's next visible messages, or null when the session should end (idle, stopping, lock released).</summary>
    /// <exception cref="SessionAbortedException">The lock was lost while the session waited.</exception>
    internal async Task<IList<TaskMessage>?> FetchSessionMessagesAsync(SqliteOrchestrationWorkItem item)
    {
        var stop = SessionStopToken;
        var started = _time.GetTimestamp();
        long? nextTimer = null;
        var lastRead = 0L;
        while (!item.Released && item.Signal is { } signal && !stop.IsCancellationRequested)
        {
            var wake = signal.Next;
            var now = Now();

            // The inbox is read when something may have reached it (a message of this process, one the watcher saw, a
            // timer now due), and at least every MaxPollingInterval; a wake-up that only brings a direct result reads nothing.
            List<InboxRow> rows = [];
            if (item.InboxMayHaveChanged || nextTimer <= now || now - lastRead >= _settings.MaxPollingInterval.Ticks)
            {
                item.InboxMayHaveChanged = false;
                lastRead = now;
                (rows, nextTimer) = _readers.Read(c => (
                    ReadVisibleMessages(c.Command(SqliteStatements.VisibleMessages), item.InstanceId, now),
                    c.Command(SqliteStatements.NextInvisibleMessage).With("$id", item.InstanceId).With("$now", now).ExecuteScalar() as long?));
            }

            var offered = item.TakeOffered();
            if (rows.Count > 0 || offered.Count > 0)
            {
                var (messages, seqs) = await ReadMessagesAsync(item.InstanceId, rows).ConfigureAwait(false);
                messages.AddRange(offered.Select(d => d.Response));
                item.Consumed = seqs;
                item.Uncounted = [.. seqs];
                item.Direct = offered;
                item.DeliveryCount = rows.Count > 0 ? rows.Max(r => r.DeliveryCount) : 1;
                if (messages.Count > 0)
                {
                    return messages;
                }

                continue;
            }

            var idle = _settings.ExtendedSessionIdleTimeout - _time.GetElapsedTime(started);
            if (idle <= TimeSpan.Zero)
            {
                return null;
            }

            var renewIn = item.LockedUntilUtc - Ticks.ToDateTime(now) - (_settings.LockTimeout / 2);
            if (renewIn <= TimeSpan.Zero)
            {
                if (!await RenewAsync(item).ConfigureAwait(false))
                {
                    throw new SessionAbortedException($"The lock on orchestration instance '{item.InstanceId}' was lost while its session waited.");
                }

                continue;
            }

            var wait = WaitTime(idle < renewIn ? idle : renewIn, nextTimer, now);
            try
            {
                await AsyncSignal.WaitAsync(wake, wait, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }
}
