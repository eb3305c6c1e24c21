using Xunit.Abstractions;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests.Benchmark;

/// <summary>
/// A small run of the chain benchmark in every test run (a step must stay within a few bare commits), and the full runs on
/// demand: <c>AO_SQLITE_BENCH=1 dotnet test tests/AgentOrchestrator.DurableTask.Sqlite.Tests -c Release --filter Category=Benchmark
/// --logger "console;verbosity=detailed"</c> runs 10 and 200 steps x 20 chains and prints the figures.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class BenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ChainBenchmark_TwentyChains_StepCostsFewBareCommits()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ao-dtfx-sqlite-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var full = Environment.GetEnvironmentVariable("AO_SQLITE_BENCH") == "1";
            foreach (var steps in full ? new[] { 10, 200, 10, 200, 10, 200 } : [20])
            {
                var runFolder = Directory.CreateDirectory(Path.Combine(folder, Guid.NewGuid().ToString("N"))).FullName;
                var result = await ChainBenchmark.RunAsync(runFolder, steps, chains: 20, commits: full ? 500 : 200);
                output.WriteLine(result.ToString());

                // The target is 4 bare commits per step; the always-run check leaves room for a loaded CI machine.
                Assert.True(result.Ratio < (full ? 4 : 10), result.ToString());
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
