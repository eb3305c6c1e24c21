using System.Globalization;

namespace AgentOrchestrator.DurableTask.Sqlite.Tests.Benchmark;

/// <summary>One run of <see cref="ChainBenchmark"/>.</summary>
internal sealed record ChainBenchmarkResult(int Steps, int Chains, double StepNs, double CommitNs, double Ratio, TimeSpan Elapsed)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Steps} steps x {Chains} chains: {StepNs / 1000:F0} us/step, bare commit {CommitNs / 1000:F0} us, ratio {Ratio:F2}, {Elapsed.TotalSeconds:F2} s");
}
