using System.Collections.Concurrent;
using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>
/// The embedded durable store: one SQLite file in WAL mode. Each checkpoint is one write transaction
/// (history, consumed inbox, status row with its version, produced tasks and messages), so several
/// worker processes can share the file safely.
/// </summary>
public sealed partial class SqliteDurableStore : IDurableStore, IDurableStoreHandoff, IDurableStoreDirectCompletion, IDisposable
{
    private const string InstanceColumns =
        "instance_id, name, execution_id, status, input, output, custom_status, failure, created_at, last_updated_at, completed_at, parent_instance_id, version";

    private static readonly int IdleReaders = 2 * Environment.ProcessorCount;

    private readonly string _connectionString;
    private readonly SqliteWriter _writer;
    private readonly ConcurrentQueue<PreparedConnection> _readers = new();
    private int _disposed;

    /// <summary>Creates a store over the file the options name.</summary>
    public SqliteDurableStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)options.BusyTimeout.TotalSeconds,
        }.ToString();
        _writer = new SqliteWriter(
            _connectionString,
            $"PRAGMA synchronous={(int)options.Synchronous}; PRAGMA busy_timeout={(int)options.BusyTimeout.TotalMilliseconds}; "
            + $"PRAGMA wal_autocheckpoint={options.WalAutoCheckpointPages};",
            options.ConnectionOpened);
    }

    /// <summary>The options the store was created with.</summary>
    public SqliteStoreOptions Options { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(Options.DatabasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        using var connection = Open();
        connection.Execute("PRAGMA journal_mode=WAL;");
        using var transaction = connection.BeginTransaction();
        var upgrading = CheckSchemaVersion(connection, transaction) == 2;
        if (upgrading)
        {
            connection.Execute(SqliteSchema.SetAsideVersion2, transaction);
        }

        connection.Execute(SqliteSchema.Create, transaction);
        if (upgrading)
        {
            connection.Execute(SqliteSchema.MoveVersion2Rows, transaction);
        }

        transaction.Commit();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The file's layout version (0 for a new file). Refuses a file this build cannot read or upgrade: reading it with this
    /// layout would misread it. Version 2 is upgraded by the caller.
    /// </summary>
    private int CheckSchemaVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var version = connection.Command("PRAGMA user_version", transaction);
        var found = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        using var tables = connection.Command("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'instances'", transaction);
        if (found == 0 && tables.ExecuteScalar() is not null)
        {
            found = 1; // version 1 did not set user_version
        }

        if (found is not (0 or 2 or SqliteSchema.Version))
        {
            var path = Path.GetFullPath(Options.DatabasePath);
            throw new InvalidOperationException(found < SqliteSchema.Version
                ? $"The SQLite database '{path}' has store schema version {found}; this version of AgentOrchestrator.Durable.Sqlite needs "
                  + $"version {SqliteSchema.Version} and upgrades only version-2 files. Let its instances finish with the version that wrote it "
                  + "(or export what you need), then delete the file (and its -wal and -shm files) or point DatabasePath at a new file."
                : $"The SQLite database '{path}' has store schema version {found}, written by a newer version of AgentOrchestrator.Durable.Sqlite; "
                  + $"this version reads version {SqliteSchema.Version}. Use the newer version, or point DatabasePath at another file.");
        }

        return found;
    }

    /// <inheritdoc />
    public Task CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(dedupeStatuses);
        return _writer.WriteAsync((connection, transaction) =>
        {
            long version = 0;
            using (var existing = connection.Command("SELECT status, version FROM instances WHERE instance_id = $id", transaction).With("$id", instance.InstanceId))
            using (var reader = existing.ExecuteReader())
            {
                if (reader.Read())
                {
                    var status = (OrchestrationRuntimeStatus)reader.GetInt32(0);
                    if (dedupeStatuses.Contains(status))
                    {
                        throw new InstanceAlreadyExistsException(instance.InstanceId, status);
                    }

                    version = reader.GetInt64(1) + 1;
                }
            }

            DeleteInstance(connection, transaction, instance.InstanceId);
            InsertInstance(connection, transaction, instance, version);

            return true;
        });
    }

    /// <inheritdoc />
    public Task<bool> SendMessageAsync(OrchestrationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _writer.WriteAsync((connection, transaction) =>
        {
            using var insert = InsertMessageCommand(connection, null);
            BindMessage(insert, message);
            insert.ExecuteNonQuery();
            using var exists = connection.Command("SELECT 1 FROM instances WHERE instance_id = $id").With("$id", message.InstanceId);
            return exists.ExecuteScalar() is not null;
        });
    }

    /// <inheritdoc />
    public Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, CancellationToken cancellationToken = default) => Task.FromResult(Read(connection =>
    {
        using var command = connection.Command($"SELECT {InstanceColumns} FROM instances WHERE instance_id = $id").With("$id", instanceId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadMetadata(reader) : null;
    }));

    /// <inheritdoc />
    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) => Task.FromResult(Read(connection =>
    {
        using var command = connection.Command("SELECT event FROM history WHERE instance_id = $id ORDER BY seq").With("$id", instanceId);
        using var reader = command.ExecuteReader();
        var events = new List<HistoryEvent>();
        while (reader.Read())
        {
            events.Add(HistorySerializer.Deserialize(reader.GetString(0)));
        }

        return (IReadOnlyList<HistoryEvent>)events;
    }));

    /// <inheritdoc />
    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var after = InstancePageToken.Parse(query.ContinuationToken);
        using var connection = Open();
        using var command = connection.Command(string.Empty);
        var where = new List<string>();
        if (query.Statuses is { Count: > 0 } statuses)
        {
            where.Add($"status IN ({string.Join(',', statuses.Select(s => (int)s))})");
        }

        AddFilter(command, where, query.CreatedFrom, "created_at >= $from", "$from");
        AddFilter(command, where, query.CreatedTo, "created_at < $to", "$to");
        if (query.InstanceIdPrefix is { } prefix)
        {
            where.Add("substr(instance_id, 1, length($prefix)) = $prefix");
            command.With("$prefix", prefix);
        }

        if (query.Name is { } name)
        {
            where.Add("name = $name");
            command.With("$name", name);
        }

        if (after is { } token)
        {
            where.Add("(created_at > $afterAt OR (created_at = $afterAt AND instance_id > $afterId))");
            command.With("$afterAt", token.CreatedAt.Ticks()).With("$afterId", token.InstanceId);
        }

        command.CommandText = $"SELECT {InstanceColumns} FROM instances {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)} "
            + "ORDER BY created_at, instance_id LIMIT $limit";
        command.With("$limit", query.PageSize + 1);
        var rows = new List<OrchestrationMetadata>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(ReadMetadata(reader));
            }
        }

        var page = rows.Take(query.PageSize).ToList();
        var next = rows.Count > query.PageSize ? InstancePageToken.Format(page[^1].CreatedAt, page[^1].InstanceId) : null;
        return Task.FromResult(new InstancePage(page, next));
    }

    /// <inheritdoc />
    public Task<int> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var statuses = (filter.Statuses ?? OrchestrationRuntimeStatusExtensions.TerminalStatuses).Where(s => s.IsTerminal()).Select(s => (int)s).ToList();
        if (statuses.Count == 0)
        {
            return Task.FromResult(0);
        }

        var where = $"status IN ({string.Join(',', statuses)}) AND ($id IS NULL OR instance_id = $id) "
            + "AND ($from IS NULL OR created_at >= $from) AND ($to IS NULL OR created_at < $to)";
        return _writer.WriteAsync((connection, transaction) =>
        {
            using var select = connection.Command($"SELECT instance_id FROM instances WHERE {where}", transaction)
                .With("$id", filter.InstanceId).With("$from", filter.CreatedFrom?.Ticks()).With("$to", filter.CreatedTo?.Ticks());
            var doomed = new List<string>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    doomed.Add(reader.GetString(0));
                }
            }

            doomed.ForEach(d => DeleteInstance(connection, transaction, d));
            return doomed.Count;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeadLetter>> GetDeadLettersAsync(string? instanceId = null, int limit = 100, CancellationToken cancellationToken = default)
    {
        using var connection = Open();
        using var command = connection.Command(
            "SELECT message_id, instance_id, kind, name, payload, delivery_count, reason, dead_lettered_at FROM dead_letters "
            + "WHERE $id IS NULL OR instance_id = $id ORDER BY seq DESC LIMIT $limit").With("$id", instanceId).With("$limit", limit);
        using var reader = command.ExecuteReader();
        var letters = new List<DeadLetter>();
        while (reader.Read())
        {
            letters.Add(new DeadLetter(
                reader.GetString(0), reader.GetString(1), (DeadLetterKind)reader.GetInt32(2), reader.GetString(3), reader.NullableString(4),
                reader.GetInt32(5), reader.GetString(6), reader.GetInt64(7).ToTime()));
        }

        return Task.FromResult<IReadOnlyList<DeadLetter>>(letters);
    }

    /// <summary>Closes the store's write connection and its idle read connections.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        Volatile.Write(ref _disposed, 1);
        CloseIdleReaders();
    }

    /// <summary>
    /// Runs a read on an idle read connection, which keeps its prepared statements (a new one when none is idle); WAL
    /// readers never wait for the writer. Up to <see cref="IdleReaders"/> connections are kept; one whose read failed is closed.
    /// </summary>
    private T Read<T>(Func<PreparedConnection, T> read)
    {
        var connection = _readers.TryDequeue(out var idle) ? idle : new PreparedConnection(_connectionString);
        T result;
        try
        {
            result = read(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        if (_readers.Count < IdleReaders)
        {
            _readers.Enqueue(connection);
        }
        else
        {
            connection.Dispose();
        }

        if (Volatile.Read(ref _disposed) == 1)
        {
            CloseIdleReaders();
        }

        return result;
    }

    private void CloseIdleReaders()
    {
        while (_readers.TryDequeue(out var idle))
        {
            idle.Dispose();
        }
    }

    /// <summary>Opens a pooled connection for reading; WAL readers never wait for the writer.</summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void AddFilter(SqliteCommand command, List<string> where, DateTimeOffset? value, string clause, string name)
    {
        if (value is { } time)
        {
            where.Add(clause);
            command.With(name, time.Ticks());
        }
    }

    private static OrchestrationMetadata ReadMetadata(SqliteDataReader reader) => new()
    {
        InstanceId = reader.GetString(0),
        Name = reader.GetString(1),
        ExecutionId = reader.GetString(2),
        RuntimeStatus = (OrchestrationRuntimeStatus)reader.GetInt32(3),
        SerializedInput = reader.NullableString(4),
        SerializedOutput = reader.NullableString(5),
        SerializedCustomStatus = reader.NullableString(6),
        Failure = reader.NullableString(7) is { } failure ? JsonSerializer.Deserialize<FailureDetails>(failure, DataConverter.DefaultOptions) : null,
        CreatedAt = reader.GetInt64(8).ToTime(),
        LastUpdatedAt = reader.GetInt64(9).ToTime(),
        CompletedAt = reader.NullableInt64(10)?.ToTime(),
        ParentInstanceId = reader.NullableString(11),
        Version = reader.GetInt64(12),
    };
}
