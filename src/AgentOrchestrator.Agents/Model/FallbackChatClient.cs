using System.ClientModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using AgentOrchestrator.Agents.Activities;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// The gateway's resilience: each deployment is tried with retries that honour <c>Retry-After</c> (429, 5xx,
/// timeouts), then the next deployment in the list. A streamed call is retried only before its first update
/// has been passed on. The response carries its cost (price table) and the deployment that answered.
/// </summary>
public sealed class FallbackChatClient(
    IReadOnlyList<(string Deployment, IChatClient Client)> deployments,
    ModelGatewayOptions options,
    TimeProvider time,
    ILogger<FallbackChatClient> logger) : IChatClient
{
    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Exception? last = null;
        foreach (var (deployment, client) in deployments)
        {
            for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
            {
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    timeout.CancelAfter(options.AttemptTimeout);
                    var response = await client.GetResponseAsync(list, chatOptions, timeout.Token).ConfigureAwait(false);
                    return Annotate(response, deployment);
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    last = e;
                    await WaitBeforeRetryAsync(deployment, attempt, e, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        throw new InvalidOperationException($"Every model deployment failed ({string.Join(", ", deployments.Select(d => d.Deployment))}): {last?.Message}", last);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Exception? last = null;
        foreach (var (deployment, client) in deployments)
        {
            for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
            {
                var updates = new List<ChatResponseUpdate>();
                await using var stream = client.GetStreamingResponseAsync(list, chatOptions, cancellationToken).GetAsyncEnumerator(cancellationToken);
                ChatResponseUpdate? first = null;
                try
                {
                    // Only the first update may be retried: after it, text has reached the user.
                    if (await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        first = stream.Current;
                    }
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    last = e;
                    await WaitBeforeRetryAsync(deployment, attempt, e, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (first is not null)
                {
                    updates.Add(first);
                    yield return first;
                    while (await stream.MoveNextAsync().ConfigureAwait(false))
                    {
                        updates.Add(stream.Current);
                        yield return stream.Current;
                    }
                }

                var usage = updates.ToChatResponse();
                yield return new ChatResponseUpdate { AdditionalProperties = Annotate(usage, deployment).AdditionalProperties };
                yield break;
            }
        }

        throw new InvalidOperationException($"Every model deployment failed ({string.Join(", ", deployments.Select(d => d.Deployment))}): {last?.Message}", last);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (_, client) in deployments)
        {
            client.Dispose();
        }
    }

    private ChatResponse Annotate(ChatResponse response, string deployment)
    {
        var cost = 0m;
        if (options.Prices.TryGetValue(deployment, out var price) && response.Usage is { } usage)
        {
            cost = ((usage.InputTokenCount ?? 0) * price.InputPerMillion + (usage.OutputTokenCount ?? 0) * price.OutputPerMillion) / 1_000_000m;
        }

        response.AdditionalProperties ??= [];
        response.AdditionalProperties[ModelUsage.CostProperty] = cost;
        response.AdditionalProperties[ModelUsage.DeploymentProperty] = deployment;
        return response;
    }

    private async Task WaitBeforeRetryAsync(string deployment, int attempt, Exception error, CancellationToken cancellationToken)
    {
        if (attempt >= options.MaxAttempts)
        {
            ModelLog.DeploymentFailed(logger, deployment, attempt, error.Message);
            return;
        }

        var delay = RetryAfter(error) ?? TimeSpan.FromMilliseconds(500 * Math.Pow(2, attempt - 1));
        delay = delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay;
        ModelLog.Retrying(logger, deployment, attempt, delay.TotalMilliseconds, error.Message);
        await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsTransient(Exception error, CancellationToken cancellationToken) => error switch
    {
        ClientResultException { Status: 408 or 429 or >= 500 } => true,
        ClientResultException { Status: 0 } => true, // no response: network failure
        OperationCanceledException => !cancellationToken.IsCancellationRequested, // our per-attempt timeout
        HttpRequestException or TimeoutException => true,
        _ => false,
    };

    /// <summary>The wait the service asked for: <c>retry-after-ms</c>, or <c>Retry-After</c> in seconds or as a date.</summary>
    private TimeSpan? RetryAfter(Exception error)
    {
        if (error is not ClientResultException { } result || result.GetRawResponse() is not { } response)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis))
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        if (response.Headers.TryGetValue("Retry-After", out var value))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - time.GetUtcNow();
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }
}
