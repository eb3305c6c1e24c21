using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>A connection held while this process's writer gate is taken; disposing releases both.</summary>
internal sealed class WriteSession(SqliteConnection connection, SemaphoreSlim gate) : IDisposable
{
    public SqliteConnection Connection { get; } = connection;

    public void Dispose()
    {
        Connection.Dispose();
        gate.Release();
    }
}
