namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>
/// The store's tables. Times are UTC ticks; events and messages are <c>HistorySerializer</c> JSON. The file's
/// <c>user_version</c> holds <see cref="Version"/>; a file of another version is refused, never read with the wrong layout.
/// </summary>
/// <remarks>
/// Version 2 (version 1 had no <c>user_version</c>): the inbox and activities tables number their rows without
/// AUTOINCREMENT (which rewrote <c>sqlite_sequence</c> in every checkpoint), a message is unique per target instance
/// (one index instead of two), and activities lost their index by instance (task ids begin with the instance id).
/// Each checkpoint so writes fewer pages.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The layout this build reads and writes.</summary>
    public const int Version = 2;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS instances (
            instance_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            input TEXT,
            output TEXT,
            custom_status TEXT,
            failure TEXT,
            created_at INTEGER NOT NULL,
            last_updated_at INTEGER NOT NULL,
            completed_at INTEGER,
            parent_instance_id TEXT,
            version INTEGER NOT NULL,
            lock_token TEXT,
            locked_until INTEGER
        );
        CREATE INDEX IF NOT EXISTS ix_instances_created ON instances(created_at, instance_id);
        CREATE TABLE IF NOT EXISTS history (
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL,
            PRIMARY KEY (instance_id, seq)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS inbox (
            seq INTEGER PRIMARY KEY,
            message_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            visible_at INTEGER NOT NULL,
            is_control INTEGER NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            message TEXT NOT NULL,
            UNIQUE (instance_id, message_id)
        );
        CREATE INDEX IF NOT EXISTS ix_inbox_visible ON inbox(visible_at);
        CREATE TABLE IF NOT EXISTS activities (
            seq INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL UNIQUE,
            instance_id TEXT NOT NULL,
            task TEXT NOT NULL,
            delivery_count INTEGER NOT NULL DEFAULT 0,
            lock_token TEXT,
            locked_until INTEGER
        );
        CREATE TABLE IF NOT EXISTS dead_letters (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            message_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            kind INTEGER NOT NULL,
            name TEXT NOT NULL,
            payload TEXT,
            delivery_count INTEGER NOT NULL,
            reason TEXT NOT NULL,
            dead_lettered_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_dead_letters_instance ON dead_letters(instance_id);
        CREATE TABLE IF NOT EXISTS instance_log (
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            dedupe_key TEXT,
            PRIMARY KEY (instance_id, seq)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX IF NOT EXISTS ux_instance_log_dedupe ON instance_log(instance_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
        PRAGMA user_version = 2;
        """;
}
