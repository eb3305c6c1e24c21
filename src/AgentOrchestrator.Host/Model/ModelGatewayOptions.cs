namespace AgentOrchestrator.Host.Model;

/// <summary>The model gateway's settings, bound from the <c>Model</c> configuration section.</summary>
public sealed class ModelGatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Model";

    /// <summary>Which model to use. Default <see cref="ModelProvider.OfflineDemo"/>.</summary>
    public ModelProvider Provider { get; set; } = ModelProvider.OfflineDemo;

    /// <summary>The endpoint: required for Azure OpenAI (<c>https://NAME.openai.azure.com/</c>); for OpenAI, empty means
    /// api.openai.com and any OpenAI-compatible base URL (e.g. <c>http://127.0.0.1:11434/v1</c>) works. Default none.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The Azure deployment name, or the model name for OpenAI. Required unless the offline demo is used. Default none.</summary>
    public string? Deployment { get; set; }

    /// <summary>The name of the setting that holds the API key (in <c>local.settings.json</c> Values or an environment
    /// variable), so the key itself never sits in host.json. Default <c>MODEL_API_KEY</c>.</summary>
    public string ApiKeySetting { get; set; } = "MODEL_API_KEY";

    /// <summary>The price table by deployment name; a deployment without an entry costs 0. Default empty.</summary>
    public Dictionary<string, ModelPrice> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Checks the values; throws naming the first bad one.</summary>
    /// <param name="apiKey">The key the <see cref="ApiKeySetting"/> names, if any.</param>
    public void Validate(string? apiKey)
    {
        if (Provider == ModelProvider.OfflineDemo)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(Deployment))
        {
            throw new InvalidOperationException($"{SectionName}:Deployment must name the deployment (Azure OpenAI) or model (OpenAI) when {SectionName}:Provider is {Provider}.");
        }

        if (Provider == ModelProvider.AzureOpenAI && Endpoint is null)
        {
            throw new InvalidOperationException($"{SectionName}:Endpoint must be the Azure OpenAI resource URL when {SectionName}:Provider is AzureOpenAI.");
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new InvalidOperationException($"Set the model's API key in '{ApiKeySetting}' (local.settings.json Values or an environment variable) when {SectionName}:Provider is {Provider}.");
        }

        foreach (var (deployment, price) in Prices)
        {
            if (price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                throw new InvalidOperationException($"{SectionName}:Prices:{deployment} must not be negative.");
            }
        }
    }
}
