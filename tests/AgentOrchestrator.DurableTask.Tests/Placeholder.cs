namespace AgentOrchestrator.DurableTask.Tests;

internal static class Placeholder
{
}
