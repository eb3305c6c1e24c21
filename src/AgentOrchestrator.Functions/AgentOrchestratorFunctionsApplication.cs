using AgentOrchestrator.Agents;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;

namespace AgentOrchestrator.Functions;

/// <summary>Sets up the Functions app the same way for <c>Program</c> and for tests.</summary>
public static class AgentOrchestratorFunctionsApplication
{
    /// <summary>The prefix of environment variables that override host.json, as the Functions host reads them.</summary>
    public const string HostSettingsPrefix = "AzureFunctionsJobHost__";

    /// <summary>
    /// Reads the app's host.json (beside the binaries) into configuration under the environment, as the Functions host
    /// does, so the worker sees the task hub name and the route prefix; registers the session orchestrator and its
    /// activities with the Durable Functions worker from the registry the self-hosted service uses
    /// (<c>AddAgentSessionTasks</c>: the extension turns each into an orchestration or activity function); and adds the
    /// services of <see cref="FunctionsServiceCollectionExtensions.AddAgentOrchestratorFunctions"/>.
    /// Call after <c>ConfigureFunctionsWebApplication</c>.
    /// </summary>
    public static FunctionsApplicationBuilder AddAgentOrchestrator(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The environment is added again after the file, so app settings keep overriding it.
        builder.Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "host.json"), optional: true, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddEnvironmentVariables(HostSettingsPrefix);
        builder.ConfigureDurableWorker().AddTasks(r => r.AddAgentSessionTasks());
        builder.Services.AddAgentOrchestratorFunctions(builder.Configuration);
        return builder;
    }
}
