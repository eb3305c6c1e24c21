namespace AgentOrchestrator.SampleServices;

/// <summary>
/// A fault injected into the operations it matches. Deterministic when it uses <see cref="FailOnCalls"/>,
/// or <see cref="FailureRate"/> with a <see cref="Seed"/>.
/// </summary>
public sealed class FaultRule
{
    /// <summary>Operation the rule applies to, e.g. <c>charge_payment</c>; <c>*</c> for every operation. Default: <c>*</c>.</summary>
    public string Operation { get; set; } = "*";

    /// <summary>Calls of the matching operation that fail, counted from 1 since start, e.g. [2] fails the second call.</summary>
    public IList<int> FailOnCalls { get; } = [];

    /// <summary>Share of matching calls that fail at random, 0 to 1. Default: 0.</summary>
    public double FailureRate { get; set; }

    /// <summary>Seed of the random failures; set it to make <see cref="FailureRate"/> repeatable. Default: none.</summary>
    public int? Seed { get; set; }

    /// <summary>Status of an injected failure. Default: 503.</summary>
    public int StatusCode { get; set; } = 503;

    /// <summary>Delay added to every matching call. For an operation that calls out (<c>charge_payment</c>,
    /// <c>refund_payment</c>: the card network) it is the call's time, while the request holds its idempotency key;
    /// for a local operation it comes before the request touches anything. Default: none.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>When an injected failure happens. Default: <see cref="FaultMode.BeforeExecution"/>.</summary>
    public FaultMode Mode { get; set; } = FaultMode.BeforeExecution;
}
