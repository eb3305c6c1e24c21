using DurableTask.Core;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Purge: deletes finished instances with everything they left (history, messages, tasks, payloads, poison messages).
/// Instances that have not finished are never purged, whatever the filter asks: their work is still in flight.
/// </summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>Instances purged per transaction, so a large purge does not hold the write lock for long.</summary>
    private const int PurgeBatchSize = 500;

    /// <summary>Purges the instance if it has finished; the result counts 0 or 1 instance.</summary>
    public async Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await EnsureCreatedAsync().ConfigureAwait(false);
        var purged = await _writer.WriteAsync(scope =>
        {
            if (ReadStatus(scope, instanceId) is not { } status || !IsTerminal(status))
            {
                return 0;
            }

            scope.Command(SqliteStatements.PurgeInstance).With("$id", instanceId).ExecuteNonQuery();
            return 1;
        }).ConfigureAwait(false);
        Log.Purged(_logger, purged);
        return new PurgeResult(purged);
    }

    /// <summary>
    /// Purges the finished instances the filter selects (created in its time range, both ends inclusive; with its statuses,
    /// all finished ones by default), in batches; <see cref="PurgeResult.IsComplete"/> is false when the filter's timeout
    /// stopped it early.
    /// </summary>
    public async Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        ArgumentNullException.ThrowIfNull(purgeInstanceFilter);
        var statuses = (purgeInstanceFilter.RuntimeStatus?.ToList() is { Count: > 0 } wanted ? wanted : [OrchestrationStatus.Completed, OrchestrationStatus.Failed,
            OrchestrationStatus.Terminated, OrchestrationStatus.Canceled]).Where(IsTerminal).Distinct().Select(SqliteStatements.Status).ToList();
        if (statuses.Count == 0)
        {
            return new PurgeResult(0, true);
        }

        var from = Ticks.Of(purgeInstanceFilter.CreatedTimeFrom);
        long? to = purgeInstanceFilter.CreatedTimeTo is { } end ? Ticks.Of(end) : null;
        return await PurgeWhereAsync(
            $"status IN ({string.Join(", ", statuses)}) AND created_at >= $from AND ($to IS NULL OR created_at <= $to)",
            command => command.With("$from", from).With("$to", to),
            purgeInstanceFilter.Timeout).ConfigureAwait(false);
    }

    /// <summary>Purges the finished instances whose created, completed or last-updated time is before the threshold.</summary>
    public async Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType)
    {
        var column = timeRangeFilterType switch
        {
            OrchestrationStateTimeRangeFilterType.OrchestrationCreatedTimeFilter => "created_at",
            OrchestrationStateTimeRangeFilterType.OrchestrationCompletedTimeFilter => "completed_at",
            OrchestrationStateTimeRangeFilterType.OrchestrationLastUpdatedTimeFilter => "last_updated_at",
            _ => throw new ArgumentOutOfRangeException(nameof(timeRangeFilterType), timeRangeFilterType, "Unknown time filter."),
        };
        var threshold = Ticks.Of(thresholdDateTimeUtc);
        await PurgeWhereAsync($"status IN ({SqliteStatements.Terminal}) AND {column} < $threshold", command => command.With("$threshold", threshold), null)
            .ConfigureAwait(false);
    }

    private async Task<PurgeResult> PurgeWhereAsync(string where, Action<SqliteCommand> bind, TimeSpan? timeout)
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        var started = _time.GetTimestamp();
        var select = $"SELECT instance_id FROM instances WHERE {where} LIMIT {PurgeBatchSize}";
        var total = 0;
        while (true)
        {
            var purged = await _writer.WriteAsync(scope =>
            {
                var command = scope.Command(select);
                bind(command);
                var ids = command.ReadStrings();
                ids.ForEach(id => scope.Command(SqliteStatements.PurgeInstance).With("$id", id).ExecuteNonQuery());
                return ids.Count;
            }).ConfigureAwait(false);
            total += purged;
            var complete = purged < PurgeBatchSize;
            if (complete || (timeout is { } limit && _time.GetElapsedTime(started) >= limit))
            {
                Log.Purged(_logger, total);
                return new PurgeResult(total, complete);
            }
        }
    }
}
