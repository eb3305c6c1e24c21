namespace AgentOrchestrator.DurableTask;

/// <summary>Runs Microsoft.DurableTask orchestrators and activities on DTFx in process (being built).</summary>
public static class DurableTaskHosting
{
}
