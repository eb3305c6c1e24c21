using System.Globalization;
using AgentOrchestrator.Agents.CrashWorker;
using AgentOrchestrator.Agents.Tests.Infrastructure;
using AgentOrchestrator.Tools.Invocation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// An agent worker process for the crash, scale-out and crash-campaign tests. Options come in pairs:
//   --db <file>          the SQLite orchestration service (the session event log in a file beside it), or
//   --hub <task hub>     DurableTask.AzureStorage, the session event log on the hub's Azure Table; the storage account's
//                        connection string comes from the AzureWebJobsStorage environment variable, as in a Functions app
//   --samples <url>      the sample CRM and billing services
//   --card <number>      the card the scripted model charges; without it the model reads the e-mail and the card from the
//                        session's order message (SampleScripts.Order), so one worker serves a batch of different orders
//   --max-deliveries <n> (SQLite) deliveries of a task before it is set aside as poison (the service's default otherwise)
//   --name <worker> --ledger <file>   record every tool attempt of this worker (and where it killed itself)
//   --kill <point> --kill-at <n> [--kill-tool <tool>] [--kill-delay-ms <ms>] [--marker <file>]   die at that moment
//   --crash-after <tool> --marker <file>                                                       die after the tool's first success
// It prints "ready" once its worker runs, "killing <point> <what>" just before it kills itself, and in Azure mode
// "lease <event> ..." whenever it gains or loses a partition lease.
var options = args.Chunk(2).ToDictionary(pair => pair[0], pair => pair[1]);
var name = options.GetValueOrDefault("--name", "worker");
var ledger = new ToolLedger(options.GetValueOrDefault("--ledger"), name);
var kill = new KillSwitch(KillPlan.From(options), ledger);
IChatClient model = options.TryGetValue("--card", out var card) ? SampleScripts.ChargeChain(card, "Done.") : SampleScripts.OrderChain("Done.");
model = new KillingChatClient(model, kill);

var settings = AgentHostSetup.Settings(new Uri(options["--samples"]));
var builder = options.TryGetValue("--hub", out var hub)
    ? AgentHostSetup.CreateAzureBuilder(settings, model, hub, Environment.GetEnvironmentVariable("AzureWebJobsStorage")
        ?? throw new InvalidOperationException("Azure mode needs the storage account's connection string in AzureWebJobsStorage."), name)
    : AgentHostSetup.CreateBuilder(settings, model, options["--db"], options.TryGetValue("--max-deliveries", out var max) ? int.Parse(max, CultureInfo.InvariantCulture) : null);
if (hub is not null)
{
    builder.Services.AddSingleton<ILoggerProvider, LeaseReporter>();
}

var real = builder.Services.Single(d => d.ServiceType == typeof(IToolInvoker));
builder.Services.Remove(real);
builder.Services.AddSingleton<IToolInvoker>(sp => new ObservedToolInvoker(
    (IToolInvoker)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!), kill, ledger));

using var host = builder.Build();
await host.StartAsync();
Console.WriteLine("ready");
await host.WaitForShutdownAsync();
