namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>What a provider does with an event raised to an instance that does not exist.</summary>
public enum MissingInstanceEvent
{
    /// <summary>The raise succeeds and the event is dropped: no instance appears (DurableTask.AzureStorage).</summary>
    Dropped,

    /// <summary>The raise throws, naming the instance.</summary>
    Throws,

    /// <summary>
    /// Not run: the in-memory test service keeps the event as an instance without a start, which its dispatcher then
    /// retries without end, slowing every later test.
    /// </summary>
    NotRun,
}
