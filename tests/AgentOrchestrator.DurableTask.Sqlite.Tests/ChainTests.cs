namespace AgentOrchestrator.DurableTask.Sqlite.Tests;

public sealed class ChainTests
{
    [Fact]
    public async Task Chain_TenSteps_CompletesWithTheirResult()
    {
        await using var hub = await TestHub.StartAsync(w => w.AddTaskOrchestrations(typeof(Chain)).AddTaskActivities(typeof(Increment)));

        var instance = await hub.Client.CreateOrchestrationInstanceAsync(typeof(Chain), 10);
        var state = await hub.WaitAsync(instance);

        Assert.Equal(global::DurableTask.Core.OrchestrationStatus.Completed, state.OrchestrationStatus);
        Assert.Equal("10", state.Output);
    }
}
