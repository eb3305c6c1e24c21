namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>Decides, per call, which configured faults apply: added latency and whether the call fails.</summary>
internal sealed class FaultInjector
{
    private readonly (FaultRule Rule, Random Random)[] _rules;
    private readonly Dictionary<FaultRule, int> _calls = [];
    private readonly Lock _gate = new();

    public FaultInjector(IEnumerable<FaultRule> rules) =>
        _rules = [.. rules.Select(r => (r, r.Seed is { } seed ? new Random(seed) : new Random()))];

    public FaultDecision Decide(string operation)
    {
        var latency = TimeSpan.Zero;
        FaultRule? failing = null;
        lock (_gate)
        {
            foreach (var (rule, random) in _rules)
            {
                if (rule.Operation != "*" && !string.Equals(rule.Operation, operation, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                var call = _calls[rule] = _calls.GetValueOrDefault(rule) + 1;
                latency += rule.Latency;
                if (failing is null && (rule.FailOnCalls.Contains(call) || (rule.FailureRate > 0 && random.NextDouble() < rule.FailureRate)))
                {
                    failing = rule;
                }
            }
        }

        return new FaultDecision(latency, failing);
    }
}
