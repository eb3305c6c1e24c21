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
/// <para>
/// Version 3: history and the instance log keep their rows in write order (a rowid table) and find an instance's rows
/// through a unique index on <c>(instance_id, seq)</c>. Keyed by instance, as in version 2, every checkpoint of every
/// instance inserted into the middle of the table: each wrote its own leaf page, split it every few rows and spilled
/// large events to overflow pages. In write order, the rows of all checkpoints in one group commit share the last
/// pages and only the small index entries land per instance: about a sixth fewer pages per commit. A version-2 file is
/// upgraded in place (<see cref="SetAsideVersion2"/>).
/// </para>
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The layout this build reads and writes.</summary>
    public const int Version = 3;

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
            row INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_history ON history(instance_id, seq);
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
            row INTEGER PRIMARY KEY,
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            dedupe_key TEXT
        );
        CREATE UNIQUE INDEX IF NOT EXISTS ux_instance_log ON instance_log(instance_id, seq);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_instance_log_dedupe ON instance_log(instance_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
        PRAGMA user_version = 3;
        """;

    /// <summary>
    /// The first half of upgrading a version-2 file: its history and instance log are set aside, so that
    /// <see cref="Create"/> makes the version-3 tables under their names. Runs, with <see cref="Create"/> and
    /// <see cref="MoveVersion2Rows"/>, in the transaction that checked the version: a failed upgrade leaves the file as it
    /// was. The other tables did not change.
    /// </summary>
    public const string SetAsideVersion2 = """
        ALTER TABLE history RENAME TO history_v2;
        DROP INDEX ux_instance_log_dedupe;
        ALTER TABLE instance_log RENAME TO instance_log_v2;
        """;

    /// <summary>The second half: the set-aside rows move into the new tables, each instance's rows together and in order.</summary>
    public const string MoveVersion2Rows = """
        INSERT INTO history (instance_id, seq, event) SELECT instance_id, seq, event FROM history_v2 ORDER BY instance_id, seq;
        INSERT INTO instance_log (instance_id, seq, kind, data, timestamp, dedupe_key)
            SELECT instance_id, seq, kind, data, timestamp, dedupe_key FROM instance_log_v2 ORDER BY instance_id, seq;
        DROP TABLE history_v2;
        DROP TABLE instance_log_v2;
        """;
}
