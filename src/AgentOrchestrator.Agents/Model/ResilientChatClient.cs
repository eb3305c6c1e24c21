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
        var failures = new List<ModelFailure>();
        Exception? last = null;
        for (var d = 0; d < _deployments.Count; d++)
        {
            var deployment = _deployments[d];
            for (var attempt = 1; ; attempt++)
            {
                using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                ModelFailure failure;
                try
                {
                    var response = await deployment.Client.GetResponseAsync(conversation, options, linked.Token);
                    response.AdditionalProperties ??= [];
                    response.AdditionalProperties[ModelCallInfo.PropertyKey] =
                        new ModelCallInfo(deployment.Name, response.ModelId, failures.Count + 1, null, null, null);
                    return response;
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    last = e;
                    failure = ModelFailureClassifier.Classify(e, deployment.Name, attempt, timeout.IsCancellationRequested, _time.GetUtcNow());
                    failures.Add(failure);
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

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var conversation = messages as IReadOnlyList<ChatMessage> ?? messages.ToList();
        var failures = new List<ModelFailure>();
        Exception? last = null;
        for (var d = 0; d < _deployments.Count; d++)
        {
            var deployment = _deployments[d];
            for (var attempt = 1; ; attempt++)
            {
                // The timeout covers the wait for the first update, then each wait between updates.
                using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
                IAsyncEnumerator<ChatResponseUpdate>? stream = null;
                var hasFirst = false;
                ModelFailure? failure = null;
                try
                {
                    stream = deployment.Client.GetStreamingResponseAsync(conversation, options, linked.Token).GetAsyncEnumerator(linked.Token);
                    hasFirst = await stream.MoveNextAsync();
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    last = e;
                    failure = ModelFailureClassifier.Classify(e, deployment.Name, attempt, timeout.IsCancellationRequested, _time.GetUtcNow());
                    failures.Add(failure);
                    await DisposeQuietlyAsync(stream);
                    stream = null;
                }

                if (failure is not null)
                {
                    if (!await WaitBeforeRetryAsync(failure, cancellationToken))
                    {
                        ThrowUnlessFallback(failure, d, failures, last);
                        break;
                    }

                    continue;
                }

                // Committed to this deployment: from here on a failure surfaces.
                try
                {
                    var info = new ModelCallInfo(deployment.Name, null, failures.Count + 1, null, null, null);
                    var more = hasFirst;
                    var first = true;
                    var finished = false;
                    while (more)
                    {
                        var update = stream!.Current;
                        finished |= update.FinishReason is not null;
                        if (first)
                        {
                            update.AdditionalProperties ??= [];
                            update.AdditionalProperties[ModelCallInfo.PropertyKey] = info with { ModelId = update.ModelId };
                            first = false;
                        }

                        yield return update;
                        timeout.CancelAfter(_options.AttemptTimeout);
                        more = await MoveNextOrFailAsync(stream, deployment.Name, attempt, timeout, failures, cancellationToken);
                    }

                    if (!finished)
                    {
                        // A dropped connection can look like a normal end of stream to the SDK; without a finish
                        // reason the answer is incomplete, and the caller must not take it for a whole one.
                        throw Broken(new ModelFailure(deployment.Name, attempt, ModelFailureKind.Network, null, null,
                            "the stream ended before the model finished its answer"), failures, null);
                    }
                }
                finally
                {
                    await DisposeQuietlyAsync(stream);
                }

                yield break;
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
}
