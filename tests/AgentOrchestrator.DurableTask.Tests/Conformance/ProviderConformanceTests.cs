using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.DurableTask.Tests.Conformance;

/// <summary>
/// The provider conformance suite, written against the Durable Task SDK (client and worker) and run by every
/// orchestration service the project supports: the SQLite service, DurableTask.AzureStorage on Azurite and the
/// in-memory test service. Where providers differ, the test that sees it names the difference
/// (<see cref="ProviderTraits"/>) and docs/ENGINE.md says why. Scenarios follow the integration tests of
/// durabletask-mssql and DurableTask.AzureStorage.
/// </summary>
[Trait("Category", "Conformance")]
public abstract partial class ProviderConformanceTests<TFixture>(TFixture fixture) : IClassFixture<TFixture>
    where TFixture : ProviderFixture
{
    /// <summary>The provider under test.</summary>
    protected TFixture Fixture { get; } = fixture;

    private TestHost Host => Fixture.Host;

    private DurableTaskClient Client => Fixture.Host.Client;

    private static string NewId(string scenario) => $"{scenario}-{Guid.NewGuid():N}";

    [Fact]
    public async Task Chain_TenActivities_OutputIsEveryStepApplied()
    {
        var done = await Host.RunAsync("Chain", 10);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(1024, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task FanOutFanIn_TwentyActivities_EveryResultIsCounted()
    {
        var done = await Host.RunAsync("FanOut", 20);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(Enumerable.Range(1, 20).Sum(i => i * 2), done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task DurableTimer_Short_FiresNoEarlierThanItsDueTime()
    {
        var done = await Host.RunAsync("Timer", 1500);

        // Named difference: DurableTask.AzureStorage may fire up to a second early (queue visibility in whole seconds).
        var elapsed = done.ReadOutputAs<double>();
        Assert.True(elapsed >= 1500 - Fixture.Traits.TimerGranularity.TotalMilliseconds, $"the 1500 ms timer fired after {elapsed} ms");
    }

    [Fact]
    public async Task SubOrchestration_ChildChain_ParentGetsTheChildsOutput()
    {
        var done = await Host.RunAsync("Parent", 3);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(9, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task SubOrchestration_ChildFails_ParentSeesTheFailureDetails()
    {
        var done = await Host.RunAsync("FailingParent", "card declined");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Contains("card declined", done.ReadOutputAs<string>(), StringComparison.Ordinal);
        Assert.StartsWith("child failed: ", done.ReadOutputAs<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UncaughtActivityFailure_InstanceFailsWithTheErrorTypeAndMessage()
    {
        var done = await Host.RunAsync("Uncaught", "insufficient funds");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        Assert.NotNull(done.FailureDetails);
        Assert.Contains("insufficient funds", done.FailureDetails!.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(typeof(TaskFailedException).FullName, done.FailureDetails.ErrorType);
        Assert.Equal(typeof(InvalidOperationException).FullName, done.FailureDetails.InnerFailure?.ErrorType);
    }

    [Fact]
    public async Task RetryPolicy_ActivityFailsTwice_SucceedsOnTheThirdAttempt()
    {
        var key = NewId("flaky");

        var done = await Host.RunAsync("Retry", key);

        Assert.Equal("ok after 3", done.ReadOutputAs<string>());
        Assert.Equal(3, ConformanceTasks.Calls[key]);
    }

    [Fact]
    public async Task RetryPolicy_AttemptsExhausted_TheLastAttemptsFailureIsReported()
    {
        var key = NewId("exhausted");

        var done = await Host.RunAsync("RetryExhausted", key);

        Assert.Equal("gave up: attempt 2 failed", done.ReadOutputAs<string>());
        Assert.Equal(2, ConformanceTasks.Calls[key]);
    }

    [Fact]
    public async Task LargePayload_OneMebibyte_RoundTripsThroughInputActivityAndOutput()
    {
        var text = string.Concat(Enumerable.Range(0, 1024 * 1024 / 16).Select(i => $"{i:D15}|"));

        var done = await Host.RunAsync("EchoLarge", text);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(text, done.ReadOutputAs<string>());
        Assert.Equal(text, done.ReadInputAs<string>());
    }
}
