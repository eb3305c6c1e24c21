using AgentOrchestrator.Tools.Invocation;
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

        if (options.MaxToolDescriptionLength <= 0 || options.MaxToolDefinitionsBytes <= 0 || options.MaxTools <= 0)
        {
            failures.Add("AgentTools:MaxToolDescriptionLength, AgentTools:MaxToolDefinitionsBytes and AgentTools:MaxTools must be positive.");
        }

        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            if (!OriginAllowList.TryParse(options.AllowedOrigins[i], out _, out var error))
            {
                failures.Add($"AgentTools:AllowedOrigins:{i} '{options.AllowedOrigins[i]}' {error}.");
            }
        }

        foreach (var (path, value) in options.RetiredAllowedHosts)
        {
            failures.Add($"{path} '{value}': AgentTools:AllowedHosts is replaced by AgentTools:AllowedOrigins, which lists origins "
                + "(scheme, host and port, e.g. 'http://127.0.0.1:5080'); move the entry there as an origin, or remove it to allow "
                + "only the origins of AgentTools:Services:<service>:BaseUrl.");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
