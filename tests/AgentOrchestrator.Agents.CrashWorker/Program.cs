using AgentOrchestrator.Agents.CrashWorker;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.Tools.Invocation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// Usage: --db <file> --samples <base url> --card <number> [--crash-after <tool> --marker <file>]
var options = args.Chunk(2).ToDictionary(pair => pair[0], pair => pair[1]);
var model = SampleScripts.ChargeChain(options["--card"], "Done.");
var builder = AgentHostSetup.CreateBuilder(AgentHostSetup.Settings(new Uri(options["--samples"])), model, options["--db"]);
if (options.TryGetValue("--crash-after", out var tool))
{
    var real = builder.Services.Single(d => d.ServiceType == typeof(IToolInvoker));
    builder.Services.Remove(real);
    builder.Services.AddSingleton<IToolInvoker>(sp => new CrashingToolInvoker(
        (IToolInvoker)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!), tool, options["--marker"]));
}

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");
await host.WaitForShutdownAsync();
