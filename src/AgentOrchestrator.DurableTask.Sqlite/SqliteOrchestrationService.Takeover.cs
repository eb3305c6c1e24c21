namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Crash takeover. Every lock names its owner (<see cref="LockOwner"/>: machine, process id, process start time). When a
/// worker starts, and every <see cref="SqliteOrchestrationServiceSettings.DeadOwnerScanInterval"/> while it runs, it frees the
/// locks of owners on its own machine whose process no longer runs (or whose id now belongs to a newer process), so a host
/// restarted after a kill takes its predecessor's work back at once instead of after the lock timeout. Owners on other
/// machines, or that cannot be checked, are left to their lock's expiry.
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>Frees every lock held by dead processes of this machine; returns how many instance and task locks it freed.</summary>
    internal async Task<int> FreeDeadOwnersAsync()
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        var dead = _readers.Read(c => c.Command(SqliteStatements.LockOwners).ReadStrings())
            .Where(owner => LockOwner.Parse(owner) is { } parsed && !parsed.IsAlive())
            .ToList();
        if (dead.Count == 0)
        {
            return 0;
        }

        var now = Now();
        var freed = await _writer.WriteAsync(scope => dead.Select(owner =>
            (Owner: owner, Count: scope.Command(SqliteStatements.FreeOwner).With("$owner", owner).With("$now", now).ExecuteNonQuery())).ToList()).ConfigureAwait(false);
        foreach (var (owner, count) in freed.Where(f => f.Count > 0))
        {
            Log.DeadOwnerFreed(_logger, count, owner);
        }

        _orchestrationWork.Set();
        _activityWork.Set();
        return freed.Sum(f => f.Count);
    }

    private async Task ScanDeadOwnersAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_settings.DeadOwnerScanInterval, _time, cancellationToken).ConfigureAwait(false);
                await FreeDeadOwnersAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException or IOException)
            {
                Log.DeadOwnerScanFailed(_logger, e);
            }
        }
    }
}
