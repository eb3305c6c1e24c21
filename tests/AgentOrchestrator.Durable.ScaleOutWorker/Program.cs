// A worker process on an Azure Storage task hub, for the scale-out test. The task hub and its partition count
// come from host.json in the folder given by --config (DurableTask:HubName, DurableTask:PartitionCount), the
// connection string from the AzureWebJobsStorage environment variable, as in an Azure Functions app.
// It runs "FiveSteps" orchestrations, records each activity execution in its own ledger file, and prints
// "ready" once started and "partitions 0,3" whenever the set of partitions it owns changes.
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.AzureStorage;
using AgentOrchestrator.Durable.ScaleOutWorker;
using AgentOrchestrator.Durable.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var name = Arg("--name") ?? throw new ArgumentException("--name is required");
var ledger = new Ledger(Arg("--ledger") ?? throw new ArgumentException("--ledger is required"));
var configFolder = Arg("--config") ?? throw new ArgumentException("--config is required (the folder holding host.json)");
var stepMs = int.Parse(Arg("--step-ms") ?? "20", System.Globalization.CultureInfo.InvariantCulture);

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = configFolder, Args = [] });
builder.Configuration.AddJsonFile("host.json", optional: false);
builder.Logging.ClearProviders();
builder.Services.AddDurableTask(
    registry => registry
        .AddActivity<int, int>("Step", async (ctx, step) =>
        {
            ledger.Record("started", ctx.InstanceId, step);
            await Task.Delay(TimeSpan.FromMilliseconds(stepMs));
            ledger.Record("finished", ctx.InstanceId, step);
            return step + 1;
        })
        .AddOrchestrator<int, int>("FiveSteps", async (ctx, _) =>
        {
            var done = 0;
            for (var step = 0; step < 5; step++)
            {
                done = await ctx.CallActivityAsync<int>("Step", step);
            }

            return done;
        }),
    worker =>
    {
        worker.WorkerId = name;
        worker.LockDuration = TimeSpan.FromSeconds(8);
        worker.MaxPollInterval = TimeSpan.FromMilliseconds(100);
    })
    .UseAzureStorageStore(options =>
    {
        options.OwnerId = name;
        options.LeaseRenewInterval = TimeSpan.FromSeconds(3);
        options.SweepInterval = TimeSpan.FromSeconds(3);
    });

using var host = builder.Build();
var store = (AzureStorageDurableStore)host.Services.GetRequiredService<IDurableStore>();
var report = new Lock();
store.OwnedPartitionsChanged += (_, _) =>
{
    lock (report)
    {
        Console.Out.WriteLine($"partitions {string.Join(',', store.OwnedPartitions)}");
        Console.Out.Flush();
    }
};
await store.InitializeAsync();
await host.StartAsync();
Console.Out.WriteLine("ready");
Console.Out.Flush();
await host.WaitForShutdownAsync();

string? Arg(string option)
{
    var i = Array.IndexOf(args, option);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
