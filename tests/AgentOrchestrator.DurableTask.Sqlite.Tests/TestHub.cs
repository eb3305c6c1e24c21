using DurableTask.Core;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

/// <summary>
/// A task hub in its own SQLite file in a temp folder, with a service, a client and (optionally) a started worker; more
/// services and workers on the same file stand for other processes. Disposing stops the workers and deletes the folder.
/// </summary>
internal sealed class TestHub : IAsyncDisposable
{
    /// <summary>How long any test waits for anything.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly List<TaskHubWorker> _workers = [];
    private readonly List<SqliteOrchestrationService> _services = [];
    private readonly Action<SqliteOrchestrationServiceSettings>? _configure;
    private readonly ITestOutputHelper? _output;

    private TestHub(Action<SqliteOrchestrationServiceSettings>? configure, ITestOutputHelper? output)
    {
        _configure = configure;
        _output = output;
        Folder = Path.Combine(Path.GetTempPath(), "ao-dtfx-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "hub.db");
        Service = NewService();
        Client = new TaskHubClient(Service);
    }

    /// <summary>The temp folder.</summary>
    public string Folder { get; }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>The first service (the client's).</summary>
    public SqliteOrchestrationService Service { get; }

    /// <summary>A client over <see cref="Service"/>.</summary>
    public TaskHubClient Client { get; }

    /// <summary>Creates a hub; with <paramref name="register"/>, also starts a worker on <see cref="Service"/> with those tasks.</summary>
    public static async Task<TestHub> StartAsync(
        Action<TaskHubWorker>? register = null, Action<SqliteOrchestrationServiceSettings>? configure = null, ITestOutputHelper? output = null)
    {
        var hub = new TestHub(configure, output);
        await hub.Service.CreateIfNotExistsAsync();
        if (register is not null)
        {
            await hub.StartWorkerAsync(hub.Service, register);
        }

        return hub;
    }

    /// <summary>Settings for this hub's file, with the hub's configuration and then <paramref name="configure"/> applied.</summary>
    public SqliteOrchestrationServiceSettings Settings(Action<SqliteOrchestrationServiceSettings>? configure = null)
    {
        var settings = new SqliteOrchestrationServiceSettings { DatabasePath = DatabasePath, TaskHubName = "tests", Synchronous = SqliteSynchronousMode.Normal };
        _configure?.Invoke(settings);
        configure?.Invoke(settings);
        return settings;
    }

    /// <summary>Another service on the same file: another process, as far as the service can tell (no shared memory).</summary>
    public SqliteOrchestrationService NewService(Action<SqliteOrchestrationServiceSettings>? configure = null, TimeProvider? time = null)
    {
        var service = new SqliteOrchestrationService(Settings(configure), _output is null ? null : new TestLoggerFactory(_output), time);
        _services.Add(service);
        return service;
    }

    /// <summary>Starts a worker on <paramref name="service"/> with the tasks <paramref name="register"/> adds.</summary>
    public async Task<TaskHubWorker> StartWorkerAsync(SqliteOrchestrationService service, Action<TaskHubWorker> register)
    {
        var worker = new TaskHubWorker(service) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        register(worker);
        _workers.Add(worker);
        await worker.StartAsync();
        return worker;
    }

    /// <summary>Waits for the instance to finish; fails the test when it does not within <see cref="Timeout"/>.</summary>
    public async Task<OrchestrationState> WaitAsync(OrchestrationInstance instance)
        => await Client.WaitForOrchestrationAsync(instance, Timeout) ?? throw new TimeoutException($"Instance '{instance.InstanceId}' did not finish in {Timeout}.");

    /// <summary>A new connection to the file, for assertions on its rows.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs a scalar query on a new connection.</summary>
    public long Count(string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Runs a statement on a new connection.</summary>
    public void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        command.ExecuteNonQuery();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            using var stop = new CancellationTokenSource(Timeout);
            await worker.StopAsync(isForced: false).WaitAsync(stop.Token);
            worker.Dispose();
        }

        _services.ForEach(s => s.Dispose());
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open somewhere: the temp folder is cleaned by the OS.
        }
    }
}
