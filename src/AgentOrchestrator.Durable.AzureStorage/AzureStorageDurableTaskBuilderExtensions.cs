using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>Chooses the Azure Storage store for the durable engine.</summary>
public static class AzureStorageDurableTaskBuilderExtensions
{
    /// <summary>
    /// Uses the Azure Storage store. Settings come from configuration (see <see cref="AzureStorageConfiguration"/>)
    /// when an <see cref="IConfiguration"/> is registered, then from <paramref name="configure"/>; they are validated here.
    /// </summary>
    public static DurableTaskBuilder UseAzureStorageStore(this DurableTaskBuilder builder, Action<AzureStorageStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.UseStore(services =>
        {
            var options = new AzureStorageStoreOptions();
            if (services.GetService<IConfiguration>() is { } configuration)
            {
                AzureStorageConfiguration.Bind(configuration, options);
            }

            configure?.Invoke(options);
            options.Validate();
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger<AzureStorageDurableStore>() ?? NullLogger<AzureStorageDurableStore>.Instance;
            return new AzureStorageDurableStore(options, time, logger);
        });
    }
}
