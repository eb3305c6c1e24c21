using System.Reflection;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace AgentOrchestrator.Functions.Tests;

/// <summary>The Functions app's host, built as Program builds it (and never run: that needs the Functions host).</summary>
internal static class FunctionsApp
{
    public static IHost Build()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        // In the app, CreateBuilder runs the extensions' start-up code that the worker SDK generates into the entry
        // assembly (the Durable extension's among it); here the entry assembly is the test runner's, so it runs it itself.
        var startup = typeof(SessionFunctions).Assembly.GetCustomAttribute<WorkerExtensionStartupCodeExecutorInfoAttribute>()!;
        ((WorkerExtensionStartup)Activator.CreateInstance(startup.StartupCodeExecutorType)!).Configure(builder);
        // What the Functions host would give the worker: its storage account (Core Tools takes it from local.settings.json).
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AgentTools:WatchManifests"] = "false",
        });
        builder.ConfigureFunctionsWebApplication();
        builder.AddAgentOrchestrator();
        return builder.Build();
    }
}
