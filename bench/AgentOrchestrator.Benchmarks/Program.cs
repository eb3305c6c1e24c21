// The benchmark command. See docs/PERFORMANCE.md for what each figure means.
//   chain   --store dtfx-sqlite --steps 200 --instances 20
//   chain   --store dtfx-azure --steps 50 --instances 20   (Azurite: scripts/azurite.sh start; source scripts/azurite.env)
//   compare --steps 50 --instances 20                      (both in one run: sqlite_vs_azure)
//   agent   --store sqlite --sessions 50 --turns 20 --tools 3 [--warmup-runs 2] [--max-warmup-runs 10]
using AgentOrchestrator.Benchmarks;

var arguments = BenchArguments.Parse(args);
return arguments.Scenario switch
{
    "chain" => await ChainBenchmark.RunAsync(arguments),
    "compare" => await ChainBenchmark.CompareAsync(arguments),
    "agent" => await AgentBenchmark.RunAsync(arguments),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: chain --store dtfx-sqlite|dtfx-azure --steps N --instances M | compare --steps N --instances M "
        + "| agent --store sqlite --sessions N --turns T --tools K [--warmup-runs W] [--max-warmup-runs M]");
    return 2;
}
