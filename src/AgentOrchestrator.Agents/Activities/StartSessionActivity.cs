using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Tools;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>Pins a new session's limits and the tool versions in force now; the session keeps them for life.</summary>
internal sealed class StartSessionActivity(IOptions<AgentSessionOptions> options, ToolRegistry registry, PromptTemplateStore prompts) : TaskActivity<string, SessionSettings>
{
    public override Task<SessionSettings> RunAsync(TaskActivityContext context, string input)
    {
        if (registry.Current.Version == 0)
        {
            // The manifests are loaded by a hosted service that may start after the engine's worker.
            throw new InvalidOperationException("The tool catalog has not been loaded yet; the session cannot pin its tools.");
        }

        var o = options.Value;
        _ = prompts.GetById(TemplateSystemPromptProvider.TemplateId(o.PromptName, o.PromptVersion)); // a session never starts pinned to a prompt that is not there
        return Task.FromResult(new SessionSettings
        {
            MaxStepsPerTurn = o.MaxStepsPerTurn,
            MaxToolCallsPerTurn = o.MaxToolCallsPerTurn,
            RepairLimit = o.RepairLimit,
            TurnTimeout = o.TurnTimeout,
            ApprovalTimeout = o.ApprovalTimeout,
            MaxRetryDelay = o.MaxRetryDelay,
            MaxTokensPerTurn = o.MaxTokensPerTurn,
            MaxSessionCost = o.MaxSessionCost,
            TurnsPerGeneration = o.TurnsPerGeneration,
            PromptName = o.PromptName,
            PromptVersion = o.PromptVersion,
            ToolVersions = registry.Current.Tools.ToDictionary(t => t.Name, t => t.Version, StringComparer.Ordinal),
            Incarnation = Guid.NewGuid().ToString("N"),
        });
    }
}
