namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>Where a provider behaves differently from the others; each difference is named by the test that checks it.</summary>
/// <param name="ReturnsHistory">The provider returns an instance's history (the in-memory test service does not).</param>
/// <param name="SeveralWorkersShareAHub">Several workers (processes) can share one task hub and take over each other's work (not in memory).</param>
/// <param name="EventToMissingInstance">What raising an event to an instance that does not exist does.</param>
/// <param name="TimerGranularity">
/// How early a durable timer or a scheduled start may fire: DurableTask.AzureStorage delays queue messages in whole seconds.
/// </param>
public sealed record ProviderTraits(bool ReturnsHistory, bool SeveralWorkersShareAHub, MissingInstanceEvent EventToMissingInstance, TimeSpan TimerGranularity);
