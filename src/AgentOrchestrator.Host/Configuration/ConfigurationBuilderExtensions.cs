using System.Text.Json;

namespace AgentOrchestrator.Host;

/// <summary>Reads configuration the way Azure Functions users expect it.</summary>
public static class ConfigurationBuilderExtensions
{
    /// <summary>
    /// Adds <c>host.json</c> (engine and agent settings) and <c>local.settings.json</c> (its <c>Values</c>, also
    /// readable without the <c>Values:</c> prefix) from the content root, then environment variables again so
    /// they override both.
    /// </summary>
    public static IConfigurationBuilder AddAgentOrchestratorConfiguration(this IConfigurationBuilder configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        configuration.AddJsonFile(Path.Combine(environment.ContentRootPath, "host.json"), optional: true, reloadOnChange: false);
        var local = Path.Combine(environment.ContentRootPath, "local.settings.json");
        configuration.AddJsonFile(local, optional: true, reloadOnChange: false);
        if (File.Exists(local))
        {
            configuration.AddInMemoryCollection(ReadValues(local));
        }

        configuration.AddEnvironmentVariables();
        configuration.AddInMemoryCollection(EmbeddedServiceKeys(configuration.Build()));
        return configuration;
    }

    /// <summary>
    /// The embedded sample services require API keys, and the manifests send them by reference (<c>CRM_API_KEY</c>,
    /// <c>BILLING_API_KEY</c>). When none are configured, one random key per service is made for this process and
    /// given to both sides, so nothing secret is ever committed and a fresh machine still works.
    /// </summary>
    private static Dictionary<string, string?> EmbeddedServiceKeys(IConfiguration current)
    {
        var keys = new Dictionary<string, string?>();
        foreach (var (service, secret) in new[] { ("Crm", "CRM_API_KEY"), ("Billing", "BILLING_API_KEY") })
        {
            var key = current[secret] ?? current[$"Values:{secret}"] ?? current[$"SampleServices:{service}:ApiKey"]
                ?? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            keys[secret] = key;
            keys[$"SampleServices:{service}:ApiKey"] = current[$"SampleServices:{service}:ApiKey"] ?? key;
        }

        return keys;
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadValues(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("Values", out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        // Functions style: "Values": { "Agents__Session__MaxStepsPerTurn": "5" } configures Agents:Session:MaxStepsPerTurn.
        return [.. values.EnumerateObject().Select(p => new KeyValuePair<string, string?>(p.Name.Replace("__", ":", StringComparison.Ordinal), p.Value.ToString()))];
    }
}
