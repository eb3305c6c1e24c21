namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>A DurableTask.Core orchestration service that keeps a task hub in one SQLite file (being built).</summary>
public sealed class SqliteOrchestrationService
{
}
