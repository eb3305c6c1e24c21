namespace AgentOrchestrator.Agents.Tests.Crash;

/// <summary>One kill of a crash campaign: which worker, its plan, where the kill landed (the worker's own last words, or
/// the test's external kill) and the exit code (137 is SIGKILL).</summary>
internal sealed record CampaignKill(int Number, string Worker, CampaignPlan Plan, string Landed, int ExitCode);
