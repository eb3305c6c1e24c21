using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using System.Text.Json;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Turns what the OpenAI and Azure OpenAI clients throw into a <see cref="ModelFailure"/>: the kind, the
/// status and the wait the service asked for (<c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, then <c>Retry-After</c>
/// in seconds or as an HTTP date).</summary>
internal static class ModelFailureClassifier
{
    public static ModelFailure Classify(Exception exception, string deployment, int attempt, bool attemptTimedOut, DateTimeOffset now)
    {
        var message = exception.Message;
        switch (exception)
        {
            case OperationCanceledException when attemptTimedOut:
                return new(deployment, attempt, ModelFailureKind.Timeout, null, null, "no answer within the attempt timeout");
            case OperationCanceledException or TimeoutException:
                // The client's own network timeout, not the caller's cancellation (the caller filters that out).
                return new(deployment, attempt, ModelFailureKind.Timeout, null, null, message);
            case ClientResultException { Status: 0 }:
                return new(deployment, attempt, ModelFailureKind.Network, null, null, message);
            case ClientResultException result:
                var status = result.Status;
                var response = result.GetRawResponse();
                var kind = status switch
                {
                    429 => ModelFailureKind.Throttled,
                    408 => ModelFailureKind.Timeout,
                    404 => ModelFailureKind.NotFound,
                    >= 500 => ModelFailureKind.ServerError,
                    _ => ModelFailureKind.Rejected,
                };
                return new(deployment, attempt, kind, status, response is null ? null : RetryAfter(response.Headers, now), FirstLine(message));
            case JsonException or FormatException:
                return new(deployment, attempt, ModelFailureKind.Malformed, null, null, "the response is not a valid chat completion: " + message);
            case HttpRequestException or IOException:
                return new(deployment, attempt, ModelFailureKind.Network, null, null, message);
            default:
                return new(deployment, attempt, ModelFailureKind.Unexpected, null, null, $"{exception.GetType().Name}: {message}");
        }
    }

    public static TimeSpan? RetryAfter(PipelineResponseHeaders headers, DateTimeOffset now)
    {
        foreach (var name in (string[])["retry-after-ms", "x-ms-retry-after-ms"])
        {
            if (headers.TryGetValue(name, out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                return TimeSpan.FromMilliseconds(value);
            }
        }

        if (!headers.TryGetValue("Retry-After", out var retryAfter) || string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParseExact(retryAfter.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? (at > now ? at - now : TimeSpan.Zero)
            : null;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
