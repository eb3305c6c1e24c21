namespace AgentOrchestrator.Agents.Model;

/// <summary>The model gateway's settings, bound from <c>Agents:Model</c>.</summary>
public sealed class ModelGatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Agents:Model";

    /// <summary>Where calls go. Default <see cref="ModelProvider.Offline"/>, unless an endpoint is set, then <see cref="ModelProvider.AzureOpenAI"/>.</summary>
    public ModelProvider? Provider { get; set; }

    /// <summary>The endpoint's base URL.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The configuration key that holds the API key (never the key itself). Default <c>MODEL_API_KEY</c>.</summary>
    public string ApiKeySecret { get; set; } = "MODEL_API_KEY";

    /// <summary>Deployments (or model names) tried in order: the next one is used when one fails for good.</summary>
    public IList<string> Deployments { get; } = [];

    /// <summary>Attempts per deployment for 429, 5xx and timeouts. Default 3.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The longest wait between attempts, whatever <c>Retry-After</c> says. Default 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one attempt. Default 100 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Prices by deployment name, for per-call cost.</summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The provider in force.</summary>
    public ModelProvider EffectiveProvider => Provider ?? (Endpoint is null ? ModelProvider.Offline : ModelProvider.AzureOpenAI);

    /// <summary>Checks the settings; throws naming the first bad one.</summary>
    public void Validate()
    {
        if (EffectiveProvider == ModelProvider.Offline)
        {
            return;
        }

        if (Endpoint is null || !Endpoint.IsAbsoluteUri)
        {
            throw new InvalidOperationException($"{SectionName}:Endpoint must be an absolute URL for provider {EffectiveProvider}.");
        }

        if (Deployments.Count == 0 || Deployments.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException($"{SectionName}:Deployments must list at least one deployment (tried in order).");
        }

        if (MaxAttempts < 1 || MaxRetryDelay < TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}: MaxAttempts must be at least 1, MaxRetryDelay zero or more, AttemptTimeout positive.");
        }
    }
}
