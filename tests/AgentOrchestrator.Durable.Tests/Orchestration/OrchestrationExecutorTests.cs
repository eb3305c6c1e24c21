using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Orchestration;

namespace AgentOrchestrator.Durable.Tests.Orchestration;

public sealed class OrchestrationExecutorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_EventAfterContinueAsNewInSameEpisode_IsCarriedToNextExecution()
    {
        // Waits for one activity, then continues as new; a message that lands in the same episode as the
        // activity's result must not be lost between the two executions.
        var registration = new OrchestratorRegistration("Loop", async context =>
        {
            await context.CallActivityAsync<int>("Work");
            context.ContinueAsNew("next");
            return null;
        });
        var executor = new OrchestrationExecutor("i1", _ => registration);
        executor.BeginEpisode(T0);
        executor.Apply(new ExecutionStarted("Loop", "e1", null) { Timestamp = T0 });
        executor.EndEpisode();

        executor.BeginEpisode(T0.AddSeconds(1));
        executor.Apply(new TaskCompleted(0, "1") { Timestamp = T0 });
        executor.Apply(new EventRaised("user.message", "\"hello\"") { Timestamp = T0 });
        var result = executor.EndEpisode();

        var next = Assert.IsType<ExecutionOutcome.ContinuedAsNew>(result.Outcome);
        Assert.Equal([("user.message", "\"hello\"")], next.CarriedEvents);
        Assert.DoesNotContain(result.NewEvents, e => e is EventRaised);
    }
}
