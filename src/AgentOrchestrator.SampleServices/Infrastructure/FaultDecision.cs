namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>The faults that apply to one call.</summary>
internal sealed record FaultDecision(TimeSpan Latency, FaultRule? Failure)
{
    public bool FailsBefore => Failure is { Mode: FaultMode.BeforeExecution };

    public bool FailsAfterCommit => Failure is { Mode: FaultMode.AfterCommit };

    public ServiceResponse FailureResponse() => ServiceResponse.Error(
        Failure!.StatusCode,
        Failure.StatusCode == 503 ? "service_unavailable" : "internal_error",
        $"Injected fault ({Failure.Mode}).");
}
