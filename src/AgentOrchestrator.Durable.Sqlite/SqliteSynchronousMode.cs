namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>SQLite's <c>PRAGMA synchronous</c> levels that make sense with WAL.</summary>
public enum SqliteSynchronousMode
{
    /// <summary>Sync at checkpoints only: survives a killed process, may lose recent commits on power loss.</summary>
    Normal = 1,

    /// <summary>Sync the WAL at every commit: survives power loss.</summary>
    Full = 2,
}
