using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>
/// Reads the store's options from configuration in the Azure Functions shape: <c>host.json</c> holds the task hub,
/// <c>local.settings.json</c> (or the environment) the connection string.
/// </summary>
/// <remarks>
/// Keys: <c>DurableTask:HubName</c>, <c>DurableTask:PartitionCount</c>, <c>DurableTask:LeaseDurationSeconds</c>,
/// <c>DurableTask:ConnectionName</c> (default <c>AzureWebJobsStorage</c>). The connection string is read from the
/// setting that name gives, looked up as <c>{name}</c>, <c>Values:{name}</c> and <c>ConnectionStrings:{name}</c>.
/// </remarks>
public static class AzureStorageConfiguration
{
    /// <summary>The configuration section the task hub settings live in.</summary>
    public const string SectionName = "DurableTask";

    /// <summary>The setting that holds the connection string when <c>DurableTask:ConnectionName</c> is not set.</summary>
    public const string DefaultConnectionName = "AzureWebJobsStorage";

    /// <summary>Copies the settings present in <paramref name="configuration"/> onto <paramref name="options"/>; absent keys keep the defaults.</summary>
    public static AzureStorageStoreOptions Bind(IConfiguration configuration, AzureStorageStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        var section = configuration.GetSection(SectionName);
        options.HubName = section["HubName"] ?? options.HubName;
        if (section["PartitionCount"] is { } partitions)
        {
            options.PartitionCount = ParseInt(partitions, "PartitionCount");
        }

        if (section["LeaseDurationSeconds"] is { } lease)
        {
            options.LeaseDuration = TimeSpan.FromSeconds(ParseInt(lease, "LeaseDurationSeconds"));
        }

        options.ConnectionString = FindConnectionString(configuration) ?? options.ConnectionString;
        return options;
    }

    /// <summary>The name of the setting that holds the connection string: <c>DurableTask:ConnectionName</c>, else <see cref="DefaultConnectionName"/>.</summary>
    public static string ConnectionName(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(SectionName)["ConnectionName"] ?? DefaultConnectionName;
    }

    /// <summary>The connection string in the setting <see cref="ConnectionName"/> names, or null when that setting is empty.</summary>
    public static string? FindConnectionString(IConfiguration configuration)
    {
        var name = ConnectionName(configuration);
        return configuration[name] ?? configuration[$"Values:{name}"] ?? configuration.GetConnectionString(name);
    }

    private static int ParseInt(string value, string key)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new FormatException($"Configuration key {SectionName}:{key} must be a whole number, not '{value}'.");
}
