namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// The task hub's tables, in one versioned script. Times are UTC ticks; messages, tasks and history events are
/// DurableTask.Core JSON (<see cref="DtfxJson"/>). The <c>schema_version</c> row holds the layout version and the task
/// hub; a file of a newer version, or of another task hub, is refused rather than read with the wrong layout.
/// </summary>
/// <remarks>
/// To change the layout: add the statements that turn version <c>n</c> into <c>n + 1</c> to <see cref="Upgrades"/> and
/// change <see cref="Create"/> to make the new layout directly. A file is upgraded in the transaction that reads its
/// version, so a failed upgrade leaves it as it was.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The layout this build reads and writes.</summary>
    public const int Version = 1;

    /// <summary>
    /// Version 1. Design notes:
    /// <list type="bullet">
    /// <item><c>instances</c> holds the small columns every checkpoint updates (status, lock, history length); the large
    /// ones (input, output, custom status) live in <c>instance_data</c> and are written only when they change, since
    /// SQLite rewrites a whole row on update.</item>
    /// <item><c>history</c> and <c>inbox</c> keep rows in write order (rowid tables) and find an instance's rows through
    /// an index on the instance id: the rows of all checkpoints in one group commit share the last pages.</item>
    /// <item><c>tasks</c> holds activity tasks. A claimed task's <c>visible_at</c> is its lock expiry, so the next free
    /// task is the first row of <c>ix_tasks_visible</c>, however many are running.</item>
    /// <item><c>poison_messages</c> holds messages and tasks set aside after too many deliveries.</item>
    /// </list>
    /// </summary>
    public const string Create = """
        CREATE TABLE schema_version (
            version INTEGER NOT NULL,
            task_hub TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        );
        CREATE TABLE instances (
            instance_id TEXT PRIMARY KEY,
            execution_id TEXT NOT NULL,
            name TEXT NOT NULL,
            version TEXT,
            status INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            last_updated_at INTEGER NOT NULL,
            completed_at INTEGER,
            scheduled_start_at INTEGER,
            parent_instance_id TEXT,
            history_length INTEGER NOT NULL DEFAULT 0,
            lock_owner TEXT,
            lock_token INTEGER,
            locked_until INTEGER
        );
        CREATE INDEX ix_instances_created ON instances(created_at, instance_id);
        CREATE INDEX ix_instances_owner ON instances(lock_owner) WHERE lock_owner IS NOT NULL;
        CREATE TABLE instance_data (
            instance_id TEXT PRIMARY KEY,
            input TEXT,
            output TEXT,
            custom_status TEXT,
            failure TEXT,
            tags TEXT,
            parent TEXT
        );
        CREATE TABLE history (
            row INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event_type INTEGER NOT NULL,
            event TEXT NOT NULL
        );
        CREATE UNIQUE INDEX ux_history ON history(instance_id, seq);
        CREATE TABLE inbox (
            seq INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            visible_at INTEGER NOT NULL,
            event_type INTEGER NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL
        );
        CREATE INDEX ix_inbox_instance ON inbox(instance_id);
        CREATE INDEX ix_inbox_visible ON inbox(visible_at);
        CREATE TABLE tasks (
            seq INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            execution_id TEXT,
            task_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            visible_at INTEGER NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            lock_owner TEXT,
            lock_token INTEGER,
            message TEXT NOT NULL
        );
        CREATE INDEX ix_tasks_visible ON tasks(visible_at);
        CREATE TABLE poison_messages (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind INTEGER NOT NULL,
            instance_id TEXT NOT NULL,
            execution_id TEXT,
            event_type TEXT NOT NULL,
            name TEXT,
            delivery_count INTEGER NOT NULL,
            reason TEXT NOT NULL,
            set_aside_at INTEGER NOT NULL,
            message TEXT NOT NULL
        );
        CREATE INDEX ix_poison_instance ON poison_messages(instance_id);
        """;

    /// <summary>The statements that turn version <c>i + 1</c> into version <c>i + 2</c>, by index; none yet.</summary>
    public static readonly IReadOnlyList<string> Upgrades = [];

    /// <summary>Every table, for <c>CreateAsync(recreateInstanceStore: true)</c> and <c>DeleteAsync</c>.</summary>
    public const string Drop = """
        DROP TABLE IF EXISTS poison_messages;
        DROP TABLE IF EXISTS tasks;
        DROP TABLE IF EXISTS inbox;
        DROP TABLE IF EXISTS history;
        DROP TABLE IF EXISTS instance_data;
        DROP TABLE IF EXISTS instances;
        DROP TABLE IF EXISTS schema_version;
        """;
}
