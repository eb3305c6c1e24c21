using AgentOrchestrator.Durable.Storage;

namespace AgentOrchestrator.Benchmarks;

/// <summary>A store the chain benchmark can run against, with its same-run baseline.</summary>
public interface IBenchTarget : IAsyncDisposable
{
    /// <summary>The name printed as <c>store=</c>.</summary>
    string Name { get; }

    /// <summary>Creates and initializes a fresh store.</summary>
    Task<IDurableStore> CreateStoreAsync();

    /// <summary>The p50 of one bare commit against the same backend with the same durability settings, in ms.</summary>
    Task<double> BaselineCommitMsP50Async();

    /// <summary>Extra figures appended to the last line (for example storage operations per step), or empty.</summary>
    string ExtraFigures(long steps);
}
