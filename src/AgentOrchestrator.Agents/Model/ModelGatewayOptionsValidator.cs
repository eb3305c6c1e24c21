using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Rejects model gateway settings that cannot work, at start-up, with every reason at once.</summary>
public sealed class ModelGatewayOptionsValidator : IValidateOptions<ModelGatewayOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ModelGatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var provider = options.EffectiveProvider;
        if (provider != ModelProvider.Scripted)
        {
            if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{ModelGatewayOptions.SectionName}:Endpoint must be an absolute http(s) URL for provider {provider}.");
            }

            if (options.Deployments.Count == 0 || options.Deployments.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{ModelGatewayOptions.SectionName}:Deployments must list at least one non-empty deployment for provider {provider}.");
            }
            else if (options.Deployments.Distinct(StringComparer.Ordinal).Count() != options.Deployments.Count)
            {
                errors.Add($"{ModelGatewayOptions.SectionName}:Deployments lists a deployment twice.");
            }

            if (provider == ModelProvider.AzureOpenAI && string.IsNullOrWhiteSpace(options.ApiKey))
            {
                errors.Add($"{ModelGatewayOptions.SectionName}:ApiKey is required for Azure OpenAI.");
            }
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            errors.Add($"{ModelGatewayOptions.SectionName}:MaxAttempts must be between 1 and 10.");
        }

        if (options.BaseRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.BaseRetryDelay)
        {
            errors.Add($"{ModelGatewayOptions.SectionName}:BaseRetryDelay must be positive and no longer than MaxRetryDelay.");
        }

        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{ModelGatewayOptions.SectionName}:AttemptTimeout must be positive.");
        }

        foreach (var (key, price) in options.Prices)
        {
            if (price is null || price.InputPerMillion < 0 || price.OutputPerMillion < 0)
            {
                errors.Add($"{ModelGatewayOptions.SectionName}:Prices:{key} must have non-negative InputPerMillion and OutputPerMillion.");
            }
        }

        if (options.ContextWindowTokens < 0 || (options.ContextWindowTokens > 0 && options.ReservedOutputTokens >= options.ContextWindowTokens)
            || options.ReservedOutputTokens < 0)
        {
            errors.Add($"{ModelGatewayOptions.SectionName}:ContextWindowTokens must be 0 (off) or larger than ReservedOutputTokens, which must not be negative.");
        }

        if (string.IsNullOrWhiteSpace(options.PromptsPath))
        {
            errors.Add($"{ModelGatewayOptions.SectionName}:PromptsPath must name a folder.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
