using System.Collections.Concurrent;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// Read connections kept open with their prepared statements. A read takes an idle connection (or opens one), runs, and
/// gives it back; in WAL mode readers never wait for the writer. Up to <c>max</c> idle connections are kept; one whose read
/// threw is closed.
/// </summary>
internal sealed class ReaderPool(Func<PreparedConnection> open, int max) : IDisposable
{
    private readonly ConcurrentQueue<PreparedConnection> _idle = new();
    private volatile bool _disposed;

    /// <summary>Runs <paramref name="read"/> on a read connection.</summary>
    public T Read<T>(Func<PreparedConnection, T> read)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var connection = _idle.TryDequeue(out var idle) ? idle : open();
        T result;
        try
        {
            result = read(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        if (!_disposed && _idle.Count < max)
        {
            _idle.Enqueue(connection);
            if (_disposed)
            {
                CloseIdle();
            }
        }
        else
        {
            connection.Dispose();
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _disposed = true;
        CloseIdle();
    }

    private void CloseIdle()
    {
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }
}
