namespace AgentOrchestrator.Agents.Model;

/// <summary>Why a model call attempt failed, as far as retrying and falling back are concerned.</summary>
public enum ModelFailureKind
{
    /// <summary>429: the deployment is over its rate or quota. Retried (honouring <c>Retry-After</c>), then the next deployment.</summary>
    Throttled,

    /// <summary>5xx: the service failed. Retried with backoff, then the next deployment.</summary>
    ServerError,

    /// <summary>No answer within the attempt timeout (or a 408). Retried, then the next deployment.</summary>
    Timeout,

    /// <summary>The connection failed or broke. Retried, then the next deployment.</summary>
    Network,

    /// <summary>The service answered with a body that is not a valid chat completion. Retried, then the next deployment.</summary>
    Malformed,

    /// <summary>404: the deployment does not exist there. Not retried; the next deployment is tried.</summary>
    NotFound,

    /// <summary>Another 4xx (bad request, bad key, content filter): the request itself is at fault and would fail
    /// everywhere. Surfaces at once.</summary>
    Rejected,

    /// <summary>Anything else. Surfaces at once.</summary>
    Unexpected,
}
