using System.Net.Sockets;

namespace AgentOrchestrator.Testing;

/// <summary>
/// The Azurite the Azure Storage tests run against. <c>./scripts/test.sh</c> starts it and exports
/// AZURITE_CONNECTION_STRING; for a bare <c>dotnet test</c>, run <c>scripts/azurite.sh start</c> first (the tests then
/// read scripts/azurite.env). There is no silent skip: without a reachable Azurite the Azure tests fail and say how to start it.
/// </summary>
public static class Azurite
{
    private static readonly Lazy<string> Connection = new(Resolve);

    /// <summary>The connection string, checked to answer on its queue endpoint.</summary>
    public static string ConnectionString => Connection.Value;

    private static string Resolve()
    {
        var connection = Environment.GetEnvironmentVariable("AZURITE_CONNECTION_STRING") ?? FromEnvFile()
            ?? throw new InvalidOperationException(
                "Azurite is not running for the Azure Storage tests. Run ./scripts/test.sh, or start it with "
                + "'scripts/azurite.sh start' (and 'source scripts/azurite.env') before 'dotnet test'.");
        var queue = connection.Split(';').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "QueueEndpoint")?[1];
        if (queue is not null && Uri.TryCreate(queue, UriKind.Absolute, out var uri))
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(uri.Host, uri.Port);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"Azurite does not answer at {uri.Host}:{uri.Port} ({e.SocketErrorCode}). Start it with 'scripts/azurite.sh start'.", e);
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
