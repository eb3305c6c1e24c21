using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// Calls the deployments in fallback order, retrying each a bounded number of times. The wait before a retry is the
/// service's <c>Retry-After</c> when it names one, otherwise an exponential backoff; both are capped by
/// <see cref="ModelGatewayOptions.MaxRetryDelay"/> and run on the injected <see cref="TimeProvider"/>. A stream is retried
/// only until its first update has been handed on: after that, a retry would repeat output the caller already saw.
/// Marks each answer with the deployment that gave it (<see cref="ModelCallInfo"/>).
/// </summary>
internal sealed class ResilientChatClient : IChatClient
{
    private readonly IReadOnlyList<ModelDeployment> _deployments;
    private readonly ModelGatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ResilientChatClient(IReadOnlyList<ModelDeployment> deployments, ModelGatewayOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfZero(deployments.Count);
        _deployments = deployments;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        await using var attempt = await FirstSuccessAsync(
            (deployment, token) => deployment.Client.GetResponseAsync(conversation, options, token), cancellationToken);
        var response = attempt.Value;
        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ModelCallInfo.PropertyKey] =
            new ModelCallInfo(attempt.Deployment.Name, response.ModelId, attempt.Failures.Count + 1, null, null, null);
        return response;
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();

        // An attempt succeeds once the stream has its first update (or ends at once); the timeout covers that wait,
        // then each wait between updates.
        await using var attempt = await FirstSuccessAsync(
            async (deployment, token) =>
            {
                var stream = deployment.Client.GetStreamingResponseAsync(conversation, options, token).GetAsyncEnumerator(token);
                try
                {
                    return (Stream: stream, HasFirst: await stream.MoveNextAsync());
                }
                catch
                {
                    await DisposeQuietlyAsync(stream);
                    throw;
                }
            },
            cancellationToken);

        // Committed to this deployment: from here on a failure surfaces.
        var stream = attempt.Value.Stream;
        var more = attempt.Value.HasFirst;
        var deployment = attempt.Deployment;
        var failures = attempt.Failures;
        try
        {
            var info = new ModelCallInfo(deployment.Name, null, failures.Count + 1, null, null, null);
            var first = true;
            var finished = false;
            while (more)
            {
                var update = stream.Current;
                finished |= update.FinishReason is not null;
                if (first)
                {
                    update.AdditionalProperties ??= [];
                    update.AdditionalProperties[ModelCallInfo.PropertyKey] = info with { ModelId = update.ModelId };
                    first = false;
                }

                yield return update;
                attempt.Timeout.CancelAfter(_options.AttemptTimeout);
                more = await MoveNextOrFailAsync(stream, deployment.Name, attempt.Number, attempt.Timeout, failures, cancellationToken);
            }

            if (!finished)
            {
                // A dropped connection can look like a normal end of stream to the SDK; without a finish
                // reason the answer is incomplete, and the caller must not take it for a whole one.
                throw Broken(new ModelFailure(deployment.Name, attempt.Number, ModelFailureKind.Network, null, null,
                    "the stream ended before the model finished its answer"), failures, null);
            }
        }
        finally
        {
            await DisposeQuietlyAsync(stream);
        }
    }

    /// <summary>
    /// Runs <paramref name="start"/> on the deployments in fallback order, each attempt under its own
    /// <see cref="ModelGatewayOptions.AttemptTimeout"/>, retrying as <see cref="WaitBeforeRetryAsync"/> allows, until one
    /// succeeds; throws the gateway's exception when none does. The returned attempt keeps its timeout running for the
    /// caller, who disposes it.
    /// </summary>
    private async Task<Attempt<T>> FirstSuccessAsync<T>(Func<ModelDeployment, CancellationToken, Task<T>> start, CancellationToken cancellationToken)
    {
        var failures = new List<ModelFailure>();
        Exception? last = null;
        for (var d = 0; d < _deployments.Count; d++)
        {
            var deployment = _deployments[d];
            for (var number = 1; ; number++)
            {
                var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
                var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                ModelFailure failure;
                try
                {
                    return new Attempt<T>(await start(deployment, linked.Token), deployment, number, failures, timeout, linked);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    last = e;
                    failure = ModelFailureClassifier.Classify(e, deployment.Name, number, timeout.IsCancellationRequested, _time.GetUtcNow());
                    failures.Add(failure);
                    linked.Dispose();
                    timeout.Dispose();
                }
                catch
                {
                    linked.Dispose();
                    timeout.Dispose();
                    throw;
                }

                if (!await WaitBeforeRetryAsync(failure, cancellationToken))
                {
                    ThrowUnlessFallback(failure, d, failures, last);
                    break;
                }
            }
        }

        throw Fail(failures, last);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _deployments[0].Client.GetService(serviceType, serviceKey);

    public void Dispose()
    {
        foreach (var deployment in _deployments)
        {
            deployment.Client.Dispose();
        }
    }

    private static async Task DisposeQuietlyAsync(IAsyncEnumerator<ChatResponseUpdate>? stream)
    {
        if (stream is null)
        {
            return;
        }

        try
        {
            await stream.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection is already broken; the failure that matters has been recorded.
        }
    }

    private async Task<bool> MoveNextOrFailAsync(
        IAsyncEnumerator<ChatResponseUpdate> stream, string deployment, int attempt, CancellationTokenSource timeout, List<ModelFailure> failures,
        CancellationToken cancellationToken)
    {
        try
        {
            return await stream.MoveNextAsync();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Broken(ModelFailureClassifier.Classify(e, deployment, attempt, timeout.IsCancellationRequested, _time.GetUtcNow()), failures, e);
        }
    }

    private ModelGatewayException Broken(ModelFailure failure, List<ModelFailure> failures, Exception? cause)
    {
        failures.Add(failure);
        ModelGatewayLog.StreamBroke(_logger, failure.Deployment, failure);
        return new ModelGatewayException(
            $"The stream from deployment '{failure.Deployment}' broke after output was delivered, so it was not retried: {failure}", failures, cause);
    }

    /// <summary>Waits before the next attempt on the same deployment and returns true, or returns false when this
    /// deployment is done: the failure is not retryable, attempts are used up, or the wait asked for is too long.</summary>
    private async Task<bool> WaitBeforeRetryAsync(ModelFailure failure, CancellationToken cancellationToken)
    {
        if (!failure.IsRetryable || failure.Attempt >= _options.MaxAttempts)
        {
            return false;
        }

        if (failure.RetryAfter is { } asked && asked > _options.MaxRetryDelay)
        {
            ModelGatewayLog.RetryAfterTooLong(_logger, failure.Deployment, (long)asked.TotalMilliseconds, (long)_options.MaxRetryDelay.TotalMilliseconds);
            return false;
        }

        var delay = failure.RetryAfter ?? Backoff(failure.Attempt);
        ModelGatewayLog.RetryScheduled(_logger, failure, (long)delay.TotalMilliseconds);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time, cancellationToken);
        }

        return true;
    }

    private TimeSpan Backoff(int failedAttempt)
    {
        var nominal = _options.BaseRetryDelay * Math.Pow(2, failedAttempt - 1);
        var capped = nominal > _options.MaxRetryDelay ? _options.MaxRetryDelay : nominal;
        // Up to 20% off at random, so callers throttled together do not come back together; never more than nominal.
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        return capped * (0.8 + (0.2 * Random.Shared.NextDouble()));
#pragma warning restore CA5394
    }

    private void ThrowUnlessFallback(ModelFailure failure, int index, List<ModelFailure> failures, Exception? last)
    {
        if (failure.AllowsFallback && index + 1 < _deployments.Count)
        {
            ModelGatewayLog.FallingBack(_logger, failure.Deployment, failure, _deployments[index + 1].Name);
            return;
        }

        throw Fail(failures, last);
    }

    private ModelGatewayException Fail(List<ModelFailure> failures, Exception? last)
    {
        var final = failures[^1];
        ModelGatewayLog.CallFailed(_logger, failures.Count, final);
        var tried = string.Join(", ", failures.Select(f => f.Deployment).Distinct(StringComparer.Ordinal));
        return new ModelGatewayException(
            $"The model call failed after {failures.Count} attempt(s) on {tried}. Last: {final}", failures, last);
    }

    /// <summary>The attempt that succeeded: its value, where and how many tries it took, and the timeout still guarding it.</summary>
    private sealed class Attempt<T>(
        T value, ModelDeployment deployment, int number, List<ModelFailure> failures, CancellationTokenSource timeout, CancellationTokenSource linked)
        : IAsyncDisposable
    {
        private readonly CancellationTokenSource _linked = linked;

        public T Value { get; } = value;

        public ModelDeployment Deployment { get; } = deployment;

        public int Number { get; } = number;

        /// <summary>The failed attempts before this one.</summary>
        public List<ModelFailure> Failures { get; } = failures;

        public CancellationTokenSource Timeout { get; } = timeout;

        public ValueTask DisposeAsync()
        {
            _linked.Dispose();
            Timeout.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
