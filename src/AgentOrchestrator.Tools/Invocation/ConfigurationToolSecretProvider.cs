using Microsoft.Extensions.Configuration;

namespace AgentOrchestrator.Tools.Invocation;

/// <summary>Reads secrets from configuration: the key itself (environment variables, user secrets), then
/// <c>Values:&lt;key&gt;</c> (the <c>local.settings.json</c> shape).</summary>
/// <param name="configuration">The application configuration.</param>
public sealed class ConfigurationToolSecretProvider(IConfiguration configuration) : IToolSecretProvider
{
    /// <inheritdoc />
    public string? GetSecret(string name)
    {
        var value = configuration[name];
        if (string.IsNullOrEmpty(value))
        {
            value = configuration[$"Values:{name}"];
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }
}
