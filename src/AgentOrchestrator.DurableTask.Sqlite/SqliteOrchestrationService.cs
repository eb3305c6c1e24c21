using DurableTask.Core;
using DurableTask.Core.Query;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// A DurableTask.Core orchestration service that keeps a task hub in one SQLite file (WAL): the provider behind
/// <c>TaskHubWorker</c> (<see cref="IOrchestrationService"/>) and <c>TaskHubClient</c> (<see cref="IOrchestrationServiceClient"/>,
/// with queries and purge). Each checkpoint is one transaction; locks expire and are renewed, and locks of dead processes on
/// this machine are taken back at once; extended sessions keep running orchestrations in memory; messages delivered too
/// often are set aside (<see cref="GetPoisonMessagesAsync"/>). Several processes on one machine may share the file.
/// </summary>
/// <remarks>
/// Call <see cref="CreateIfNotExistsAsync"/> (or let the first operation do it) before use; <c>TaskHubWorker.StartAsync</c>
/// calls <see cref="StartAsync"/>. Dispose the service after the worker stopped. The service is split by concern into
/// partial files: instances, work items, checkpoint, activities, sessions, client, purge, poison, takeover, signals.
/// </remarks>
public sealed partial class SqliteOrchestrationService :
    IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient, IDisposable
{
    private readonly SqliteOrchestrationServiceSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _path;
    private readonly string _connectionString;
    private readonly string _owner = LockOwner.Current.ToString();
    private readonly SqliteWriter _writer;
    private readonly ReaderPool _readers;
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private volatile bool _created;
    private int _disposed;

    /// <summary>Creates a service over the file the settings name; nothing is opened until first use.</summary>
    /// <param name="settings">Where the task hub lives and how work is scheduled; validated here.</param>
    /// <param name="loggerFactory">Where the service logs; none by default.</param>
    /// <param name="timeProvider">
    /// The clock for locks, delays and polling; <see cref="TimeProvider.System"/> by default. Durable timers fire by
    /// DurableTask.Core's own clock, so in production this must be real time.
    /// </param>
    public SqliteOrchestrationService(SqliteOrchestrationServiceSettings settings, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SqliteOrchestrationService>();
        _path = Path.GetFullPath(settings.DatabasePath);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(settings.BusyTimeout.TotalSeconds),
        }.ToString();
        var busy = (long)settings.BusyTimeout.TotalMilliseconds;
        var writerPragmas = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={(int)settings.Synchronous}; PRAGMA busy_timeout={busy}; "
            + $"PRAGMA wal_autocheckpoint={settings.WalAutoCheckpointPages};";
        var readerPragmas = $"PRAGMA busy_timeout={busy};";
        _writer = new SqliteWriter(() => new PreparedConnection(_connectionString, writerPragmas, settings.ConnectionOpened));
        _readers = new ReaderPool(() => new PreparedConnection(_connectionString, readerPragmas, settings.ConnectionOpened), 2 + (2 * Environment.ProcessorCount));
    }

    /// <summary>The settings the service was created with.</summary>
    public SqliteOrchestrationServiceSettings Settings => _settings;

    /// <summary>The <see cref="FailureDetails.ErrorType"/> of the failure an orchestration receives for a poisoned activity task.</summary>
    public const string PoisonMessageErrorType = "PoisonMessage";

    /// <inheritdoc />
    public int TaskOrchestrationDispatcherCount => 1;

    /// <inheritdoc />
    public int MaxConcurrentTaskOrchestrationWorkItems => _settings.MaxConcurrentOrchestrations;

    /// <inheritdoc />
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

    /// <inheritdoc />
    public int TaskActivityDispatcherCount => 1;

    /// <inheritdoc />
    public int MaxConcurrentTaskActivityWorkItems => _settings.MaxConcurrentActivities;

    /// <inheritdoc />
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

    /// <inheritdoc />
    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => exception is SqliteException ? 1 : 0;

    /// <inheritdoc />
    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => exception is OperationCanceledException ? 0 : 1;

    /// <summary>Creates the task hub's tables when the file has none; upgrades an older layout.</summary>
    public Task CreateIfNotExistsAsync() => EnsureCreatedAsync();

    /// <inheritdoc />
    public Task CreateAsync() => CreateAsync(recreateInstanceStore: false);

    /// <summary>Creates the task hub's tables; with <paramref name="recreateInstanceStore"/>, drops what the file holds first.</summary>
    public async Task CreateAsync(bool recreateInstanceStore)
    {
        if (recreateInstanceStore)
        {
            await DeleteAsync().ConfigureAwait(false);
        }

        await EnsureCreatedAsync().ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task DeleteAsync() => DeleteAsync(deleteInstanceStore: true);

    /// <summary>Drops every table of the task hub (the file stays).</summary>
    public async Task DeleteAsync(bool deleteInstanceStore)
    {
        await _createLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await _writer.WriteAsync(scope => scope.Command(SqliteSchema.Drop).ExecuteNonQuery()).ConfigureAwait(false);
            _created = false;
        }
        finally
        {
            _createLock.Release();
        }
    }

    /// <summary>
    /// Starts the worker side: frees the locks of dead processes of this machine, then starts looking for them periodically
    /// and for changes made by other processes. <c>TaskHubWorker.StartAsync</c> calls it.
    /// </summary>
    public async Task StartAsync()
    {
        await EnsureCreatedAsync().ConfigureAwait(false);
        await FreeDeadOwnersAsync().ConfigureAwait(false);
        StartWorkerLoops();
    }

    /// <inheritdoc />
    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>Stops the worker side: ends idle sessions, releases instances claimed and tasks handed over but not started, stops the loops.</summary>
    public async Task StopAsync(bool isForced)
    {
        await StopWorkerLoopsAsync().ConfigureAwait(false);
        await ReleaseClaimedAsync().ConfigureAwait(false);
        await ReleaseHandoffsAsync().ConfigureAwait(false);
    }

    /// <summary>Stops everything and closes the file's connections.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _disposing.Cancel();
        StopWorkerLoopsAsync().GetAwaiter().GetResult();
        StopWatcher();
        _writer.Dispose();
        _readers.Dispose();
        _createLock.Dispose();
        _disposing.Dispose();
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private static long NewToken() => Random.Shared.NextInt64(1, long.MaxValue);

    private Task EnsureCreatedAsync() => _created ? Task.CompletedTask : CreateSchemaAsync();

    private async Task CreateSchemaAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        await _createLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_created)
            {
                return;
            }

            var directory = Path.GetDirectoryName(_path);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var (from, created) = await _writer.WriteAsync(scope => SchemaMigration.Apply(scope, _settings.TaskHubName, _path, Now())).ConfigureAwait(false);
            if (created)
            {
                Log.SchemaCreated(_logger, _settings.TaskHubName, SqliteSchema.Version, _path);
            }
            else if (from < SqliteSchema.Version)
            {
                Log.SchemaUpgraded(_logger, _path, from, SqliteSchema.Version);
            }

            _created = true;
        }
        finally
        {
            _createLock.Release();
        }
    }
}
