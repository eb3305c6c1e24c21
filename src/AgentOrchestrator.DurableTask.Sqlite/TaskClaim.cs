namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>What claiming a task returned: the work item (none when no task was free) and the tasks set aside on the way.</summary>
internal sealed record TaskClaim(SqliteActivityWorkItem? Item, List<PoisonedTask> Poisoned);
