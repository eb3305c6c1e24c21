using System.Globalization;
using DurableTask.Core;
using DurableTask.Core.Common;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>The client's reads: state, history, waiting for completion, queries with paging.</summary>
public sealed partial class SqliteOrchestrationService
{
    /// <summary>The instance's state (the service keeps the latest execution only); an empty list when it does not exist.</summary>
    public async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
        => await GetOrchestrationStateAsync(instanceId, executionId: null).ConfigureAwait(false) is { } state ? [state] : [];

    /// <summary>The instance's state with input and output; null when it does not exist or its execution is not <paramref name="executionId"/>.</summary>
    public async Task<OrchestrationState?> GetOrchestrationStateAsync(string instanceId, string? executionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await EnsureCreatedAsync().ConfigureAwait(false);
        var state = ReadState(instanceId);
        return executionId is null || state?.OrchestrationInstance.ExecutionId == executionId ? state : null;
    }

    /// <summary>
    /// The history of the instance's latest execution as DurableTask.Core JSON (an array of history events, the format of
    /// DurableTask.AzureStorage and durabletask-mssql); <c>[]</c> when the instance or execution does not exist.
    /// </summary>
    public async Task<string> GetOrchestrationHistoryAsync(string instanceId, string? executionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        await EnsureCreatedAsync().ConfigureAwait(false);
        var events = _readers.Read(c =>
        {
            var current = c.Command("SELECT execution_id FROM instances WHERE instance_id = $id").With("$id", instanceId).ExecuteScalar() as string;
            if (current is null || (executionId is not null && executionId != current))
            {
                return [];
            }

            var history = new List<HistoryEvent>();
            using var reader = c.Command(SqliteStatements.History).With("$id", instanceId).ExecuteReader();
            while (reader.Read())
            {
                history.Add(DtfxJson.DeserializeEvent(reader.GetString(0)));
            }

            return history;
        });
        return Utils.SerializeToJson(events);
    }

    /// <summary>
    /// Waits until the instance finishes (Completed, Failed, Terminated) and returns its state; null when
    /// <paramref name="timeout"/> passes first (<see cref="Timeout.InfiniteTimeSpan"/> or <see cref="TimeSpan.MaxValue"/> wait
    /// for ever). Woken at once when this process commits the instance's completion, within
    /// <see cref="SqliteOrchestrationServiceSettings.ChangePollingInterval"/> when another process does.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<OrchestrationState?> WaitForOrchestrationAsync(string instanceId, string? executionId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var forever = timeout == Timeout.InfiniteTimeSpan || timeout == TimeSpan.MaxValue;
        if (!forever && timeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The timeout must not be negative (use Timeout.InfiniteTimeSpan to wait for ever).");
        }

        await EnsureCreatedAsync().ConfigureAwait(false);
        EnsureWatcher();
        using var finished = _finished.Register(instanceId);
        var started = _time.GetTimestamp();
        while (true)
        {
            var wake = finished.Next;
            var state = ReadState(instanceId);
            if (state is not null && IsTerminal(state.OrchestrationStatus) && (executionId is null || executionId == state.OrchestrationInstance.ExecutionId))
            {
                return state;
            }

            var left = forever ? _settings.MaxPollingInterval : timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            await AsyncSignal.WaitAsync(wake, left < _settings.MaxPollingInterval ? left : _settings.MaxPollingInterval, _time, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Instances matching the query, oldest first (by created time, then id), one page at a time: status, created time range
    /// (both ends inclusive), instance id prefix and, with <see cref="SqliteOrchestrationQuery"/>, name. The continuation
    /// token names the last row returned; it is null on the last page.
    /// </summary>
    public async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        cancellationToken.ThrowIfCancellationRequested();
        await EnsureCreatedAsync().ConfigureAwait(false);
        if (query.TaskHubNames is { Count: > 0 } hubs && !hubs.Contains(_settings.TaskHubName, StringComparer.OrdinalIgnoreCase))
        {
            return new OrchestrationQueryResult([], null);
        }

        var after = PageToken.Parse(query.ContinuationToken);
        return _readers.Read(connection =>
        {
            using var command = connection.Connection.CreateCommand();
            var where = new List<string>();
            if (query.RuntimeStatus is { Count: > 0 } statuses)
            {
                where.Add($"i.status IN ({string.Join(", ", statuses.Select(s => ((int)s).ToString(CultureInfo.InvariantCulture)))})");
            }

            if (query.CreatedTimeFrom is { } from)
            {
                where.Add("i.created_at >= $from");
                command.With("$from", Ticks.Of(from));
            }

            if (query.CreatedTimeTo is { } to)
            {
                where.Add("i.created_at <= $to");
                command.With("$to", Ticks.Of(to));
            }

            if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
            {
                where.Add("i.instance_id >= $prefix AND substr(i.instance_id, 1, length($prefix)) = $prefix");
                command.With("$prefix", query.InstanceIdPrefix);
            }

            if (query is SqliteOrchestrationQuery { Name: { } name })
            {
                where.Add("i.name = $name");
                command.With("$name", name);
            }

            if (after is { } key)
            {
                where.Add("(i.created_at > $afterAt OR (i.created_at = $afterAt AND i.instance_id > $afterId))");
                command.With("$afterAt", key.CreatedAt).With("$afterId", key.InstanceId);
            }

            var payloads = query.FetchInputsAndOutputs ? "d.input, d.output" : "NULL, NULL";
            command.CommandText = $"SELECT {SqliteStatements.StateColumns}, {payloads} FROM instances i LEFT JOIN instance_data d ON d.instance_id = i.instance_id "
                + (where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty) + " ORDER BY i.created_at, i.instance_id LIMIT $limit";
            command.With("$limit", query.PageSize + 1);
            var rows = new List<(OrchestrationState State, long CreatedAt)>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add((ReadState(reader), reader.GetInt64(5)));
                }
            }

            var page = rows.Take(query.PageSize).ToList();
            var next = rows.Count > query.PageSize ? PageToken.Format(page[^1].CreatedAt, page[^1].State.OrchestrationInstance.InstanceId) : null;
            return new OrchestrationQueryResult(page.Select(r => r.State).ToList(), next);
        });
    }

    private OrchestrationState? ReadState(string instanceId) => _readers.Read(c =>
    {
        using var reader = c.Command(SqliteStatements.State).With("$id", instanceId).ExecuteReader();
        return reader.Read() ? ReadState(reader) : null;
    });

    /// <summary>A row of <see cref="SqliteStatements.StateColumns"/> followed by input and output.</summary>
    private static OrchestrationState ReadState(SqliteDataReader reader) => new()
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = reader.GetString(0), ExecutionId = reader.GetString(1) },
        Name = reader.GetString(2),
        Version = reader.NullableString(3),
        OrchestrationStatus = (OrchestrationStatus)reader.GetInt32(4),
        CreatedTime = Ticks.ToDateTime(reader.GetInt64(5)),
        LastUpdatedTime = Ticks.ToDateTime(reader.GetInt64(6)),
        CompletedTime = Ticks.ToDateTime(reader.NullableInt64(7), Utils.DateTimeSafeMaxValue),
        ScheduledStartTime = reader.NullableInt64(8) is { } start ? Ticks.ToDateTime(start) : null,
        Status = reader.NullableString(9),
        FailureDetails = DtfxJson.DeserializeValue<FailureDetails>(reader.NullableString(10)),
        Tags = DtfxJson.DeserializeValue<Dictionary<string, string>>(reader.NullableString(11)),
        ParentInstance = DtfxJson.DeserializeValue<ParentInstance>(reader.NullableString(12)),
        Input = reader.NullableString(13),
        Output = reader.NullableString(14),
    };
}
