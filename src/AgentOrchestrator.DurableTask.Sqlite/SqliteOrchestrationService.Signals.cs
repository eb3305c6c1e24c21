using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Wake-ups instead of polling. Work this process commits wakes the fetch loops, sessions and waiters concerned at once.
/// Work other processes commit is noticed by one watcher that reads <c>PRAGMA data_version</c> (which changes when another
/// connection commits) every <see cref="SqliteOrchestrationServiceSettings.ChangePollingInterval"/>, and on a change wakes
/// the fetch loops and, with one query each, the sessions with new messages and the waiters whose instance finished.
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    private readonly AsyncSignal _orchestrationWork = new();
    private readonly AsyncSignal _activityWork = new();
    private readonly InstanceSignals _sessions = new();
    private readonly InstanceSignals _finished = new();
    private readonly Lock _loopsGate = new();
    private Task? _watcher;
    private CancellationTokenSource? _watcherStop;
    private Task? _scanner;
    private CancellationTokenSource? _workerStop;
    private volatile bool _workerRunning;

    /// <summary>Ends waiting sessions when the worker stops or the service is disposed.</summary>
    private CancellationToken SessionStopToken => _workerStop?.Token ?? _disposing.Token;

    /// <summary>Wakes whoever handles the instance's messages here: its session if one waits, otherwise the fetch loop.</summary>
    private void NotifyInstance(string instanceId)
    {
        MarkInboxChanged(instanceId);
        if (!_sessions.Set(instanceId))
        {
            _orchestrationWork.Set();
        }
    }

    /// <summary>Tells the session holding the instance here, if any, that its inbox may hold something new.</summary>
    private void MarkInboxChanged(string instanceId)
    {
        if (_held.TryGetValue(instanceId, out var item))
        {
            item.InboxMayHaveChanged = true;
        }
    }

    private void EndSessionsIfStopping(CancellationToken fetchToken)
    {
        if (fetchToken.IsCancellationRequested)
        {
            lock (_loopsGate)
            {
                _workerStop?.Cancel();
            }
        }
    }

    private void StartWorkerLoops()
    {
        lock (_loopsGate)
        {
            if (_workerRunning)
            {
                return;
            }

            _workerStop = new CancellationTokenSource();
            var stop = _workerStop.Token;
            _scanner = Task.Run(() => ScanDeadOwnersAsync(stop), CancellationToken.None);
            _workerRunning = true;
        }

        EnsureWatcher();
    }

    private async Task StopWorkerLoopsAsync()
    {
        Task? scanner;
        CancellationTokenSource? stop;
        lock (_loopsGate)
        {
            if (!_workerRunning)
            {
                return;
            }

            _workerRunning = false;
            (scanner, stop) = (_scanner, _workerStop);
            _scanner = null;
        }

        if (stop is not null)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }

        if (scanner is not null)
        {
            await scanner.ConfigureAwait(false);
        }
    }

    private void EnsureWatcher()
    {
        if (_watcher is not null)
        {
            return;
        }

        lock (_loopsGate)
        {
            if (_watcher is null && Volatile.Read(ref _disposed) == 0)
            {
                _watcherStop = new CancellationTokenSource();
                var stop = _watcherStop.Token;
                _watcher = Task.Run(() => WatchAsync(stop), CancellationToken.None);
            }
        }
    }

    private void StopWatcher()
    {
        lock (_loopsGate)
        {
            _watcherStop?.Cancel();
        }

        _watcher?.GetAwaiter().GetResult();
        _watcherStop?.Dispose();
        _workerStop?.Dispose();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        PreparedConnection? connection = null;
        long? seen = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(_settings.ChangePollingInterval, _time, cancellationToken).ConfigureAwait(false);
                    connection ??= new PreparedConnection(_connectionString, $"PRAGMA busy_timeout={(long)_settings.BusyTimeout.TotalMilliseconds};", _settings.ConnectionOpened);
                    var version = (long)connection.Command("PRAGMA data_version").ExecuteScalar()!;
                    if (version != seen)
                    {
                        seen = version;
                        WakeForChanges(connection);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException)
                {
                    Log.WatchFailed(_logger, e);
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>Something was committed by another connection: wake the fetch loops, and the sessions and waiters it concerns.</summary>
    private void WakeForChanges(PreparedConnection connection)
    {
        _orchestrationWork.Set();
        _activityWork.Set();
        if (_sessions.InstanceIds() is { Length: > 0 } sessions)
        {
            var ready = connection.Command(SqliteStatements.InstancesWithVisibleMessages)
                .With("$ids", JsonSerializer.Serialize(sessions)).With("$now", Now()).ReadStrings();
            ready.ForEach(id =>
            {
                MarkInboxChanged(id);
                _sessions.Set(id);
            });
        }

        if (_finished.InstanceIds() is { Length: > 0 } waiting)
        {
            var done = connection.Command(SqliteStatements.FinishedInstances).With("$ids", JsonSerializer.Serialize(waiting)).ReadStrings();
            done.ForEach(id => _finished.Set(id));
        }
    }
}
