using AgentOrchestrator.Durable.Storage;
using AgentOrchestrator.Durable.Testing;

namespace AgentOrchestrator.Durable.Tests.Storage;

public sealed class InMemoryStoreConformanceTests : StoreConformanceTests
{
    protected override Task<IDurableStore> CreateStoreAsync() => Task.FromResult<IDurableStore>(new InMemoryDurableStore());
}

public sealed class InMemoryEngineConformanceTests : EngineConformanceTests
{
    protected override Task<IDurableStore> CreateStoreAsync() => Task.FromResult<IDurableStore>(new InMemoryDurableStore());
}

public sealed class InMemoryHandoffConformanceTests : HandoffConformanceTests
{
    protected override Task<IDurableStore> CreateStoreAsync() => Task.FromResult<IDurableStore>(new InMemoryDurableStore());
}

public sealed class InMemoryDirectCompletionConformanceTests : DirectCompletionConformanceTests
{
    protected override Task<IDurableStore> CreateStoreAsync() => Task.FromResult<IDurableStore>(new InMemoryDurableStore());
}
