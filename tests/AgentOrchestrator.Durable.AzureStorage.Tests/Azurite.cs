using System.Net.Sockets;

namespace AgentOrchestrator.Durable.AzureStorage.Tests;

/// <summary>
/// The Azurite the tests run against. <c>./scripts/test.sh</c> starts it and exports AZURITE_CONNECTION_STRING;
/// for a bare <c>dotnet test</c>, run <c>scripts/azurite.sh start</c> first (the tests then read scripts/azurite.env).
/// There is no silent skip: without a reachable Azurite every Azure test fails and says how to start it.
/// </summary>
internal static class Azurite
{
    private static readonly Lazy<string> Connection = new(Resolve);

    /// <summary>The connection string, checked to answer on its table endpoint.</summary>
    public static string ConnectionString => Connection.Value;

    /// <summary>A task hub name no other test uses, so every test starts from empty tables and queues.</summary>
    public static string NewHubName() => "t" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Options for a fresh hub on Azurite.</summary>
    public static AzureStorageStoreOptions Options(string? hubName = null, int partitions = 4) => new()
    {
        ConnectionString = ConnectionString,
        HubName = hubName ?? NewHubName(),
        PartitionCount = partitions,
    };

    private static string Resolve()
    {
        var connection = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") ?? FromEnvFile();
        if (connection is null)
        {
            throw new InvalidOperationException(
                "Azurite is not running for the Azure Storage tests. Run ./scripts/test.sh, or start it with "
                + "'scripts/azurite.sh start' (and 'source scripts/azurite.env') before 'dotnet test'.");
        }

        var table = connection.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "TableEndpoint")?[1];
        if (table is not null && Uri.TryCreate(table, UriKind.Absolute, out var uri))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(uri.Host, uri.Port);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException(
                    $"Azurite does not answer at {uri.Host}:{uri.Port} ({e.SocketErrorCode}). Start it with 'scripts/azurite.sh start'.", e);
            }
        }

        return connection;
    }

    private static string? FromEnvFile()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var file = Path.Combine(folder.FullName, "scripts", "azurite.env");
            if (File.Exists(file))
            {
                var line = File.ReadAllLines(file).FirstOrDefault(l => l.StartsWith("export AZURITE_CONNECTION_STRING=", StringComparison.Ordinal));
                return line?["export AZURITE_CONNECTION_STRING=".Length..].Replace("\\;", ";", StringComparison.Ordinal);
            }
        }

        return null;
    }
}
