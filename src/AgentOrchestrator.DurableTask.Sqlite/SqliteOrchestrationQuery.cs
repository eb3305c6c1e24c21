using DurableTask.Core.Query;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>An <see cref="OrchestrationQuery"/> with the filters the SQLite service adds.</summary>
public sealed class SqliteOrchestrationQuery : OrchestrationQuery
{
    /// <summary>Only instances of this orchestration name (exact, case-sensitive). Default none.</summary>
    public string? Name { get; set; }
}
