namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

internal static class Placeholder
{
}
