// A durable worker process for the crash tests. It runs the "CrashChain" orchestration over a SQLite
// file and records every activity execution in a separate ledger file, so the test can count how often
// each step really ran. The test kills it with SIGKILL; with --kill-at-commit N it kills itself with
// SIGKILL inside its Nth SQLite commit that writes rows, that is, in the middle of a transaction.
using System.Diagnostics;
using AgentOrchestrator.Durable;
using AgentOrchestrator.Durable.CrashWorker;
using AgentOrchestrator.Durable.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var database = Arg("--db") ?? throw new ArgumentException("--db is required");
var ledger = new Ledger(Arg("--ledger") ?? throw new ArgumentException("--ledger is required"));
var killAtCommit = Arg("--kill-at-commit") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : 0;
var commits = 0;

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddDurableTask(
    registry => registry
        .AddActivity<StepInput, int>("Step", async (ctx, input) =>
        {
            ledger.Record(ctx.InstanceId, input!.Step, "started");
            await Task.Delay(TimeSpan.FromMilliseconds(input.DelayMs));
            ledger.Record(ctx.InstanceId, input.Step, "finished");
            return input.Value * 2;
        })
        .AddOrchestrator<ChainInput, int>("CrashChain", async (ctx, input) =>
        {
            var value = 1;
            for (var step = 0; step < input!.Steps; step++)
            {
                value = await ctx.CallActivityAsync<int>("Step", new StepInput(step, value % 1_000_000, input.DelayMs)) % 1_000_000;
            }

            return value;
        }),
    worker =>
    {
        worker.LockDuration = TimeSpan.FromSeconds(2);
        worker.MaxPollInterval = TimeSpan.FromMilliseconds(50);
    })
    .UseSqliteStore(options =>
    {
        options.DatabasePath = database;
        options.ConnectionOpened = connection =>
        {
            if (killAtCommit > 0)
            {
                // Count only commits that write rows (idle polls commit nothing), so N lands at a repeatable point.
                var db = connection.Handle!;
                var written = SQLitePCL.raw.sqlite3_total_changes(db);
                SQLitePCL.raw.sqlite3_commit_hook(db, _ =>
                {
                    var total = SQLitePCL.raw.sqlite3_total_changes(db);
                    var wrote = total != written;
                    written = total;
                    if (wrote && Interlocked.Increment(ref commits) == killAtCommit)
                    {
                        Console.Out.WriteLine("killing myself inside a commit");
                        Console.Out.Flush();
                        Process.GetCurrentProcess().Kill();
                    }

                    return 0;
                }, null);
            }
        };
    });

using var host = builder.Build();

// "ready" goes out before the worker starts: with --kill-at-commit the worker may kill itself within
// milliseconds of starting, and the test must not mistake that planned kill for a failed start.
Console.Out.WriteLine("ready");
Console.Out.Flush();
await host.StartAsync();
await host.WaitForShutdownAsync();

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
