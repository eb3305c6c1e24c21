namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>SQLite's <c>synchronous</c> setting for the service's write connection, in WAL mode.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// Commits are not flushed to disk by the writer; they survive a killed process (the WAL is in the OS cache) but the
    /// last ones may be lost on power loss or an OS crash.
    /// </summary>
    Normal = 1,

    /// <summary>Every commit is flushed to disk before it is acknowledged: it survives power loss.</summary>
    Full = 2,
}
