using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Where <see cref="SqliteOrchestrationService"/> keeps its task hub and how it schedules work. Every property has a default
/// that suits one machine; <see cref="Validate"/> names the first bad value.
/// </summary>
public sealed class SqliteOrchestrationServiceSettings
{
    /// <summary>
    /// The SQLite database file. Default <c>durabletask.db</c> in the working directory; its directory is created when
    /// missing. Several worker processes on one machine may share the file; a network file system may not hold it.
    /// </summary>
    public string DatabasePath { get; set; } = "durabletask.db";

    /// <summary>
    /// The task hub the file holds. Default <c>default</c>. A file keeps one task hub: a file created for another hub name
    /// is refused at start-up rather than mixed with it.
    /// </summary>
    public string TaskHubName { get; set; } = "default";

    /// <summary>
    /// How long a claimed orchestration or activity stays locked without being renewed. Default 2 minutes. DurableTask.Core
    /// renews locks of running work items (every 5 to 30 seconds) and the service renews the locks of idle extended sessions,
    /// so this only bounds how long the work of a hung process, or of a dead process on another machine, waits; work of a
    /// dead process on this machine is taken back at once (see <see cref="DeadOwnerScanInterval"/>). At least 1 second.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Whether an orchestration stays loaded in the worker between its episodes (DurableTask.Core extended sessions), so
    /// that a new event resumes it without replaying its history. Default <see langword="true"/>.
    /// </summary>
    public bool ExtendedSessionsEnabled { get; set; } = true;

    /// <summary>
    /// How long an extended session waits for the next message of its orchestration before it ends and releases the
    /// orchestration's lock. Default 30 seconds (DurableTask.AzureStorage's default). The lock is renewed while it waits.
    /// </summary>
    public TimeSpan ExtendedSessionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Orchestration work items a worker holds at once. Default 100 (DurableTask.AzureStorage's default). DurableTask.Core
    /// lets at most half of them be extended sessions, and a session holds its slot while it waits for its next message;
    /// an orchestration without a session slot reloads its history for every event. Episodes only run orchestrator code
    /// (no I/O), so many slots cost memory, not CPU: with 10 per processor a 2-core host had 10 sessions for 20 chains and
    /// measured a quarter slower per step.
    /// </summary>
    public int MaxConcurrentOrchestrations { get; set; } = 100;

    /// <summary>Activities a worker runs at once. Default 10 per processor.</summary>
    public int MaxConcurrentActivities { get; set; } = 10 * Environment.ProcessorCount;

    /// <summary>The most messages one orchestration work item takes at once. Default 100.</summary>
    public int MaxMessagesPerWorkItem { get; set; } = 100;

    /// <summary>
    /// How many times a message or an activity task is delivered before it is set aside as poison instead of delivered
    /// again. Default 10. Set-aside messages are listed by <see cref="SqliteOrchestrationService.GetPoisonMessagesAsync"/>.
    /// </summary>
    public int MaxDeliveryCount { get; set; } = 10;

    /// <summary>
    /// The delay before an abandoned work item is delivered again, doubled for every earlier delivery and capped at
    /// <see cref="AbandonMaxDelay"/>. Default 1 second.
    /// </summary>
    public TimeSpan AbandonBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay before an abandoned work item is delivered again. Default 5 minutes.</summary>
    public TimeSpan AbandonMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often the service checks whether another process changed the file (a cheap <c>PRAGMA data_version</c>), to
    /// wake waiting work-item fetches, extended sessions and <c>WaitForOrchestrationAsync</c> calls. Work written by this
    /// process wakes them at once. Default 50 milliseconds.
    /// </summary>
    public TimeSpan ChangePollingInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The longest an idle fetch waits before it looks for work again even though nothing woke it (a safety net for work
    /// whose lock or delay ran out). Default 1 second.
    /// </summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a running worker looks for locks held by processes on this machine that no longer run, and frees them.
    /// The worker also does this when it starts. Default 10 seconds.
    /// </summary>
    public TimeSpan DeadOwnerScanInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// SQLite's <c>synchronous</c> setting for the write connection. Default <see cref="SqliteSynchronousMode.Full"/>:
    /// every checkpoint survives power loss. <see cref="SqliteSynchronousMode.Normal"/> survives a killed process but may
    /// lose the last checkpoints on power loss.
    /// </summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>
    /// How long a write waits for another process's write lock on the file before it fails. Default 30 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SQLite's <c>wal_autocheckpoint</c> for the write connection: the write-ahead log is copied back into the database
    /// once it holds this many pages. Default 10,000 (about 40 MB with 4 KB pages), ten times SQLite's default: the rows a
    /// checkpoint changes (an instance's status, its newest history page) change on every step, and a WAL checkpoint
    /// writes each changed page once however often it changed. At least 100.
    /// </summary>
    public int WalAutoCheckpointPages { get; set; } = 10_000;

    /// <summary>
    /// For diagnostics and tests: called with every connection the service opens (its writer, its readers, its change
    /// watcher), once the connection is open and its pragmas ran, before the service uses it. Default <see langword="null"/>.
    /// The crash tests install a SQLite commit hook through it to kill a worker inside a commit. The callback must leave
    /// the connection as it found it (no transaction, no pragma changes); an exception it throws fails the operation that
    /// opened the connection.
    /// </summary>
    public Action<SqliteConnection>? ConnectionOpened { get; set; }

    /// <summary>Checks the settings and names the first bad one.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(!string.IsNullOrWhiteSpace(DatabasePath), nameof(DatabasePath), "must name a file");
        Require(!string.IsNullOrWhiteSpace(TaskHubName), nameof(TaskHubName), "must not be empty");
        Require(LockTimeout >= TimeSpan.FromSeconds(1), nameof(LockTimeout), "must be at least 1 second");
        Require(ExtendedSessionIdleTimeout > TimeSpan.Zero, nameof(ExtendedSessionIdleTimeout), "must be positive");
        Require(MaxConcurrentOrchestrations >= 1, nameof(MaxConcurrentOrchestrations), "must be at least 1");
        Require(MaxConcurrentActivities >= 1, nameof(MaxConcurrentActivities), "must be at least 1");
        Require(MaxMessagesPerWorkItem >= 1, nameof(MaxMessagesPerWorkItem), "must be at least 1");
        Require(MaxDeliveryCount >= 1, nameof(MaxDeliveryCount), "must be at least 1");
        Require(AbandonBaseDelay >= TimeSpan.Zero, nameof(AbandonBaseDelay), "must not be negative");
        Require(AbandonMaxDelay >= AbandonBaseDelay, nameof(AbandonMaxDelay), "must be at least AbandonBaseDelay");
        Require(ChangePollingInterval > TimeSpan.Zero, nameof(ChangePollingInterval), "must be positive");
        Require(MaxPollingInterval >= ChangePollingInterval, nameof(MaxPollingInterval), "must be at least ChangePollingInterval");
        Require(DeadOwnerScanInterval > TimeSpan.Zero, nameof(DeadOwnerScanInterval), "must be positive");
        Require(Synchronous is SqliteSynchronousMode.Normal or SqliteSynchronousMode.Full, nameof(Synchronous), "must be Normal or Full");
        Require(BusyTimeout >= TimeSpan.FromSeconds(1), nameof(BusyTimeout), "must be at least 1 second");
        Require(WalAutoCheckpointPages >= 100, nameof(WalAutoCheckpointPages), "must be at least 100");
    }

    private static void Require(bool condition, string name, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"SqliteOrchestrationServiceSettings.{name} {rule}.", name);
        }
    }
}
