namespace AgentOrchestrator.Agents.Model;

/// <summary>
/// Settings of the model gateway, bound from configuration (see <see cref="ModelGatewayServiceCollectionExtensions.AddModelGateway"/>)
/// and validated at start-up by <see cref="ModelGatewayOptionsValidator"/>.
/// </summary>
public sealed class ModelGatewayOptions
{
    /// <summary>The configuration section the host binds by convention.</summary>
    public const string SectionName = "Agents:Model";

    /// <summary>The model service. Default: <see cref="ModelProvider.Scripted"/> when no <see cref="Endpoint"/> is set,
    /// otherwise <see cref="ModelProvider.AzureOpenAI"/>.</summary>
    public ModelProvider? Provider { get; set; }

    /// <summary>The service root, e.g. <c>https://myresource.openai.azure.com/</c> or <c>https://api.openai.com/v1/</c>. Default none.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The API key. A secret: supply it from <c>local.settings.json</c> or the environment, never from a committed file.
    /// Required for Azure OpenAI; optional for OpenAI-compatible servers that need none. Default none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Deployment (Azure) or model (OpenAI-compatible) names, in fallback order: the first is tried first, the next
    /// only when one fails for good. Required unless the provider is scripted. Default empty.</summary>
    public IList<string> Deployments { get; } = [];

    /// <summary>Attempts per deployment, the first included, for throttling, server errors, timeouts, network errors
    /// and malformed responses. Default 3; 1 to 10.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first backoff delay when the service names none; it doubles per attempt, with up to 20% taken off
    /// at random. Default 1 second.</summary>
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait before a retry. A <c>Retry-After</c> longer than this moves on to the next
    /// deployment at once instead of waiting. Default 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take before it counts as timed out; when streaming, the longest wait for
    /// the first chunk and then between chunks. Default 100 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Prices per deployment or model name (case-insensitive; the deployment is looked up first, then the model
    /// the service reports). A call with no price has a null cost. Default empty.</summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Masking of personal data before text leaves for the model. Default off.</summary>
    public PiiMaskingOptions PiiMasking { get; set; } = new();

    /// <summary>The model's context window in tokens; older turns are trimmed so the request fits. 0 turns trimming off.
    /// Default 128,000.</summary>
    public int ContextWindowTokens { get; set; } = 128_000;

    /// <summary>Tokens kept free in the context window for the answer. Default 4,096; less than <see cref="ContextWindowTokens"/>.</summary>
    public int ReservedOutputTokens { get; set; } = 4_096;

    /// <summary>Whether trimmed turns are replaced by a short system note saying what was left out. Default true.</summary>
    public bool SummarizeTrimmedTurns { get; set; } = true;

    /// <summary>The folder of prompt template files, relative to the application's base directory unless rooted. Default <c>prompts</c>.</summary>
    public string PromptsPath { get; set; } = "prompts";

    /// <summary>The provider in force: <see cref="Provider"/> if set, otherwise chosen from <see cref="Endpoint"/>.</summary>
    public ModelProvider EffectiveProvider =>
        Provider ?? (string.IsNullOrWhiteSpace(Endpoint) ? ModelProvider.Scripted : ModelProvider.AzureOpenAI);
}
