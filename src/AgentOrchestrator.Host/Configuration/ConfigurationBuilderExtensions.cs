using System.Text.Json;

namespace AgentOrchestrator.Host;

/// <summary>Reads configuration the way Azure Functions users expect it.</summary>
public static class ConfigurationBuilderExtensions
{
    private const string FunctionsHostPrefix = "AzureFunctionsJobHost__";

    /// <summary>
    /// Adds <c>host.json</c> (engine and agent settings) and <c>local.settings.json</c> (its <c>Values</c>, also
    /// readable without the <c>Values:</c> prefix) from the content root, then environment variables and the command
    /// line again, so that the usual ASP.NET Core order holds: command line over environment variables over files
    /// (<c>--urls</c> wins over <c>Urls</c> in host.json).
    /// </summary>
    /// <param name="configuration">The configuration to add to (the web host builder's, which has read the environment and the command line before the files).</param>
    /// <param name="environment">Gives the content root the files are read from.</param>
    /// <param name="args">The command-line arguments.</param>
    public static IConfigurationBuilder AddAgentOrchestratorConfiguration(this IConfigurationBuilder configuration, IHostEnvironment environment, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var hostJson = Path.Combine(environment.ContentRootPath, "host.json");
        configuration.AddJsonFile(hostJson, optional: true, reloadOnChange: false);
        var local = Path.Combine(environment.ContentRootPath, "local.settings.json");
        configuration.AddJsonFile(local, optional: true, reloadOnChange: false);
        if (File.Exists(local))
        {
            configuration.AddInMemoryCollection(ReadValues(local));
        }

        configuration.AddEnvironmentVariables();
        // As in Azure Functions, AzureFunctionsJobHost__extensions__durableTask__hubName overrides host.json's value.
        configuration.AddEnvironmentVariables(FunctionsHostPrefix);
        if (args is { Length: > 0 })
        {
            configuration.AddCommandLine(args);
        }

        var current = configuration.Build();
        configuration.AddInMemoryCollection(EmbeddedServiceKeys(current));
        configuration.AddInMemoryCollection(EmbeddedServiceAddresses(current, hostJson));
        return configuration;
    }

    /// <summary>
    /// host.json points the sample services' base URLs at the host's own default address (<c>Urls</c> in the same file).
    /// When the host is told to listen elsewhere (<c>--urls</c>, <c>Urls</c> in the environment) and those base URLs were
    /// left as the file has them, they follow the host's first address, so the demo's tools still reach the embedded
    /// services. A base URL configured anywhere else is kept as given.
    /// </summary>
    private static Dictionary<string, string?> EmbeddedServiceAddresses(IConfiguration current, string hostJson)
    {
        var moved = new Dictionary<string, string?>();
        if (!File.Exists(hostJson))
        {
            return moved;
        }

        var file = new ConfigurationBuilder().AddJsonFile(hostJson, optional: true, reloadOnChange: false).Build();
        if (!Uri.TryCreate(file["Urls"]?.Split(';')[0], UriKind.Absolute, out var fileAddress)
            || !Uri.TryCreate(current["Urls"]?.Split(';')[0], UriKind.Absolute, out var address)
            || address.Port == 0
            || fileAddress == address)
        {
            return moved;
        }

        // A wildcard listen address (0.0.0.0, [::], *, +) is reached through loopback from this process.
        var reachable = new UriBuilder(address) { Host = address.Host is "0.0.0.0" or "[::]" or "*" or "+" ? "127.0.0.1" : address.Host }.Uri;
        foreach (var service in file.GetSection("AgentTools:Services").GetChildren())
        {
            var key = $"AgentTools:Services:{service.Key}:BaseUrl";
            if (current[key] is { } baseUrl && baseUrl == file[key]
                && Uri.TryCreate(baseUrl, UriKind.Absolute, out var target)
                && Uri.Compare(target, fileAddress, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
            {
                moved[key] = new Uri(reachable, target.PathAndQuery).ToString();
            }
        }

        return moved;
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

        // Functions style: "Values": { "Agents__Session__MaxStepsPerTurn": "5" } configures Agents:Session:MaxStepsPerTurn,
        // and "AzureFunctionsJobHost__extensions__durableTask__hubName" overrides host.json's extensions:durableTask:hubName.
        return [.. values.EnumerateObject().Select(p => new KeyValuePair<string, string?>(
            (p.Name.StartsWith(FunctionsHostPrefix, StringComparison.Ordinal) ? p.Name[FunctionsHostPrefix.Length..] : p.Name).Replace("__", ":", StringComparison.Ordinal),
            p.Value.ToString()))];
    }
}
