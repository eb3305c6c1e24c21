// The benchmark command. See docs/PERFORMANCE.md for what each figure means.
//   chain  --store sqlite --steps 200 --instances 20
//   chain  --store azure --steps 50 --instances 20   (Azurite: scripts/azurite.sh start; source scripts/azurite.env)
//   replay --events 1000
//   agent  --store sqlite --sessions 50 --turns 20 --tools 3 [--warmup-runs 2] [--max-warmup-runs 10]
using AgentOrchestrator.Benchmarks;

var arguments = BenchArguments.Parse(args);
return arguments.Scenario switch
{
    "chain" => await ChainBenchmark.RunAsync(arguments),
    "replay" => await ReplayBenchmark.RunAsync(arguments),
    "agent" => await AgentBenchmark.RunAsync(arguments),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: chain --store sqlite|azure --steps N --instances M | replay --events N | agent --store sqlite --sessions N --turns T --tools K [--warmup-runs W] [--max-warmup-runs M]");
    return 2;
}
