// The hosting-level crash worker: the SDK tasks of CrashTasks run through AddDurableTaskHost (DTFx in process) on the SQLite
// service or on DurableTask.AzureStorage, until the test kills this process with SIGKILL or, with --kill-after-steps K, it
// kills itself inside its first SQLite commit that writes rows once K steps finished. See WorkerOptions for the command line.
using AgentOrchestrator.DurableTask;
using AgentOrchestrator.DurableTask.CrashWorker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var options = WorkerOptions.Parse(args);
var ledger = new Ledger(options.Ledger);

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
// Warnings and errors go to standard error, which the test shows when the worker fails.
builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace).SetMinimumLevel(LogLevel.Warning);
builder.Services.AddDurableTaskHost(sp => options.CreateService(sp.GetRequiredService<ILoggerFactory>()), registry => CrashTasks.Register(registry, ledger));

using var host = builder.Build();
await host.StartAsync();
Console.Out.WriteLine("ready");
Console.Out.Flush();
await host.WaitForShutdownAsync();
