using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Tools;

/// <summary>Checks <see cref="AgentToolsOptions"/> at start-up.</summary>
internal sealed class AgentToolsOptionsValidator : IValidateOptions<AgentToolsOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentToolsOptions options)
    {
        var failures = new List<string>();
        if (options.ReloadDebounce < TimeSpan.Zero)
        {
            failures.Add("AgentTools:ReloadDebounce must not be negative.");
        }

        if (options.MaxResponseBytes <= 0)
        {
            failures.Add("AgentTools:MaxResponseBytes must be positive.");
        }

        foreach (var host in options.AllowedHosts.Where(h => string.IsNullOrWhiteSpace(h) || h.Contains('/', StringComparison.Ordinal)))
        {
            failures.Add($"AgentTools:AllowedHosts entry '{host}' must be a host, host:port or *.domain, not a URL.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
