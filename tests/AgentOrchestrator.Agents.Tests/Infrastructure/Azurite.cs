using System.Net.Sockets;

namespace AgentOrchestrator.Agents.Tests.Infrastructure;

/// <summary>
/// The Azurite the Azure Storage tests run against. <c>./scripts/test.sh</c> starts it and exports
/// AZURITE_CONNECTION_STRING; for a bare <c>dotnet test</c>, run <c>scripts/azurite.sh start</c> first (the tests then
/// read scripts/azurite.env). There is no silent skip: without a reachable Azurite the Azure tests fail and say how to start it.
/// (A copy of the DurableTask tests' helper that checks the table and blob endpoints the event log uses.)
/// </summary>
internal static class Azurite
{
    private static readonly Lazy<string> Connection = new(Resolve);

    /// <summary>The connection string, checked to answer on its table and blob endpoints.</summary>
    public static string ConnectionString => Connection.Value;

    private static string Resolve()
    {
        var connection = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") ?? FromEnvFile()
            ?? throw new InvalidOperationException(
                "Azurite is not running for the Azure Storage tests. Run ./scripts/test.sh, or start it with "
                + "'scripts/azurite.sh start' (and 'source scripts/azurite.env') before 'dotnet test'.");
        foreach (var endpoint in new[] { "TableEndpoint", "BlobEndpoint" })
        {
            var address = connection.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == endpoint)?[1];
            if (address is not null && Uri.TryCreate(address, UriKind.Absolute, out var uri))
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(uri.Host, uri.Port);
                }
                catch (SocketException e)
                {
                    throw new InvalidOperationException(
                        $"Azurite does not answer at {uri.Host}:{uri.Port} ({endpoint}, {e.SocketErrorCode}). Start it with 'scripts/azurite.sh start'.", e);
                }
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
