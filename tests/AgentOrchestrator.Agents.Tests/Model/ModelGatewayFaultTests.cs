using AgentOrchestrator.Agents.Model;
using AgentOrchestrator.FakeOpenAI;
using AgentOrchestrator.Testing;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Tests.Model;

/// <summary>The gateway when the model service throttles, fails, hangs or sends garbage.</summary>
public sealed class ModelGatewayFaultTests : IAsyncLifetime
{
    private FakeOpenAIServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeOpenAIServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task GetResponseAsync_429WithRetryAfter_WaitsExactlyThatLongOnTheClockThenSucceeds()
    {
        var clock = new ObservedTimeProvider();
        _server.Enqueue("primary", FakeResponse.TooManyRequests(TimeSpan.FromSeconds(3)), FakeResponse.TextAnswer("after the wait"));
        await using var gateway = GatewayHarness.Create(_server, time: clock);

        var call = gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"));
        var delay = await clock.WaitForTimerAsync(d => d < TimeSpan.FromSeconds(30), GatewayHarness.Timeout);
        Assert.Equal(TimeSpan.FromSeconds(3), delay);
        clock.Fake.Advance(TimeSpan.FromSeconds(2.9));
        Assert.Single(_server.Requests);
        clock.Fake.Advance(TimeSpan.FromSeconds(0.1));
        var response = await call.WaitAsync(GatewayHarness.Timeout);

        Assert.Equal("after the wait", response.Text);
        Assert.Equal(("primary", 2), (response.GetModelCallInfo()!.Deployment, response.GetModelCallInfo()!.Attempts));
        Assert.Equal(2, _server.RequestsFor("primary").Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_429WithRetryAfterMs_HonoursTheMillisecondHeader()
    {
        var clock = new ObservedTimeProvider();
        _server.Enqueue("primary", FakeResponse.TooManyRequests(TimeSpan.FromMilliseconds(1500), inMilliseconds: true), FakeResponse.TextAnswer("streamed after the wait"));
        await using var gateway = GatewayHarness.Create(_server, time: clock);

        var call = gateway.Client.GetStreamingResponseAsync(GatewayHarness.Conversation("Hi")).ToChatResponseAsync();
        var delay = await clock.WaitForTimerAsync(d => d < TimeSpan.FromSeconds(30), GatewayHarness.Timeout);
        clock.Fake.Advance(delay);
        var response = await call.WaitAsync(GatewayHarness.Timeout);

        Assert.Equal(TimeSpan.FromMilliseconds(1500), delay);
        Assert.Equal("streamed after the wait", response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterLongerThanTheCap_FallsBackAtOnceWithoutWaiting()
    {
        _server.Enqueue("primary", FakeResponse.TooManyRequests(TimeSpan.FromMinutes(5)));
        _server.Enqueue("secondary", FakeResponse.TextAnswer("from the second deployment"));
        await using var gateway = GatewayHarness.Create(_server, time: new ObservedTimeProvider());

        var response = await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi")).WaitAsync(GatewayHarness.Timeout);

        Assert.Equal(("from the second deployment", "secondary"), (response.Text, response.GetModelCallInfo()!.Deployment));
        Assert.Equal(["primary", "secondary"], _server.Requests.Select(r => r.Deployment));
    }

    [Fact]
    public async Task GetResponseAsync_FirstDeploymentKeepsFailing_SecondAnswersAndSaysSo()
    {
        _server.Enqueue("primary", FakeResponse.ServerError(500), FakeResponse.ServerError(503), FakeResponse.ServerError(500));
        _server.Enqueue("secondary", FakeResponse.TextAnswer("fallback answer").WithUsage(100, 10));
        await using var gateway = GatewayHarness.Create(_server);

        var response = await gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi")).WaitAsync(GatewayHarness.Timeout);

        Assert.Equal("fallback answer", response.Text);
        Assert.Equal(new ModelCallInfo("secondary", "gpt-4o-fake", 4, 100, 10, null), response.GetModelCallInfo());
        Assert.Equal(["primary", "primary", "primary", "secondary"], _server.Requests.Select(r => r.Deployment));
    }

    [Fact]
    public async Task GetResponseAsync_AllDeploymentsFail_ThrowsGatewayExceptionListingEveryAttempt()
    {
        _server.EnqueueForAnyDeployment(Enumerable.Repeat(FakeResponse.ServerError(502), 4).ToArray());
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?> { ["MaxAttempts"] = "2" });

        var error = await Assert.ThrowsAsync<ModelGatewayException>(() => gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi")).WaitAsync(GatewayHarness.Timeout));

        Assert.Equal(["primary", "primary", "secondary", "secondary"], error.Failures.Select(f => f.Deployment));
        Assert.All(error.Failures, f => Assert.Equal((ModelFailureKind.ServerError, 502), (f.Kind, f.StatusCode)));
        Assert.True(error.IsTransient);
        Assert.Contains("primary, secondary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_MalformedBody_SurfacesAsAClearMalformedError()
    {
        _server.EnqueueForAnyDeployment(FakeResponse.Malformed(), FakeResponse.Malformed());
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?> { ["MaxAttempts"] = "1" });

        var error = await Assert.ThrowsAsync<ModelGatewayException>(() => gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi")).WaitAsync(GatewayHarness.Timeout));

        Assert.All(error.Failures, f => Assert.Equal(ModelFailureKind.Malformed, f.Kind));
        Assert.Contains("not a valid chat completion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MalformedChunk_SurfacesAsAClearMalformedError()
    {
        _server.EnqueueForAnyDeployment(FakeResponse.Malformed(), FakeResponse.Malformed());
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?> { ["MaxAttempts"] = "1" });

        var error = await Assert.ThrowsAsync<ModelGatewayException>(() =>
            gateway.Client.GetStreamingResponseAsync(GatewayHarness.Conversation("Hi")).ToChatResponseAsync().WaitAsync(GatewayHarness.Timeout));

        Assert.Equal(ModelFailureKind.Malformed, error.Failures[^1].Kind);
    }

    [Fact]
    public async Task GetResponseAsync_BadRequest_IsNeitherRetriedNorSentToTheNextDeployment()
    {
        _server.Enqueue("primary", FakeResponse.ServerError(400));
        await using var gateway = GatewayHarness.Create(_server);

        var error = await Assert.ThrowsAsync<ModelGatewayException>(() => gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi")).WaitAsync(GatewayHarness.Timeout));

        Assert.Equal((ModelFailureKind.Rejected, 400), (error.Failures.Single().Kind, error.Failures.Single().StatusCode));
        Assert.False(error.IsTransient);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task GetResponseAsync_DeploymentHangs_TimesOutOnTheClockAndFallsBack()
    {
        var clock = new ObservedTimeProvider();
        _server.Enqueue("primary", FakeResponse.Hang());
        _server.Enqueue("secondary", FakeResponse.TextAnswer("not hung"));
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?>
        {
            ["MaxAttempts"] = "1",
            ["AttemptTimeout"] = "00:00:20",
        }, clock);

        var call = gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"));
        await _server.WaitForRequestAsync(1, GatewayHarness.Timeout);
        await clock.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(20), GatewayHarness.Timeout);
        clock.Fake.Advance(TimeSpan.FromSeconds(20));
        var response = await call.WaitAsync(GatewayHarness.Timeout);

        Assert.Equal(("not hung", "secondary"), (response.Text, response.GetModelCallInfo()!.Deployment));
    }

    [Fact]
    public async Task GetResponseAsync_CallerCancels_StopsAtOnceWithoutFallingBack()
    {
        _server.Enqueue("primary", FakeResponse.Hang());
        await using var gateway = GatewayHarness.Create(_server);
        using var cts = new CancellationTokenSource();

        var call = gateway.Client.GetResponseAsync(GatewayHarness.Conversation("Hi"), cancellationToken: cts.Token);
        await _server.WaitForRequestAsync(1, GatewayHarness.Timeout);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(GatewayHarness.Timeout));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StallsAfterOutputWasDelivered_SurfacesWithoutRetrying()
    {
        var clock = new ObservedTimeProvider();
        _server.Enqueue("primary", FakeResponse.StallMidStream("This answer stops half way through."), FakeResponse.TextAnswer("a retry would repeat text"));
        await using var gateway = GatewayHarness.Create(_server, new Dictionary<string, string?> { ["AttemptTimeout"] = "00:00:30" }, clock);
        var received = new List<string>();

        await using var stream = gateway.Client.GetStreamingResponseAsync(GatewayHarness.Conversation("Hi")).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(GatewayHarness.Timeout));
        received.Add(stream.Current.Text);
        var error = await Assert.ThrowsAsync<ModelGatewayException>(async () =>
        {
            while (true)
            {
                // Buffered chunks may still come; once the stream waits on the wire, the idle timeout ends it.
                clock.Fake.Advance(TimeSpan.FromSeconds(30));
                if (!await stream.MoveNextAsync().AsTask().WaitAsync(GatewayHarness.Timeout))
                {
                    return;
                }

                received.Add(stream.Current.Text);
            }
        });

        Assert.NotEmpty(received);
        Assert.Equal(ModelFailureKind.Timeout, error.Failures[^1].Kind);
        Assert.Contains("broke after output was delivered", error.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }
}
