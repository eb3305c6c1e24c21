using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.DurableTask.Sqlite;

/// <summary>
/// The service's one write connection, with group commit. Writes queue up; one drain at a time, on a thread-pool
/// thread, runs everything queued in ONE transaction (<c>BEGIN IMMEDIATE</c>), then commits once, so one fsync covers
/// many checkpoints, and goes on while writes keep coming. No caller is answered before its transaction is durable, and
/// no caller's thread runs a commit: when the first caller to find the writer free ran the drain itself, it also ran
/// every group that queued meanwhile, so under load one caller (a client starting an instance, the fetch loop
/// claiming one) waited for the commits of everyone else. Writers in other processes are serialized by SQLite's write
/// lock and <c>busy_timeout</c>.
/// </summary>
/// <remarks>
/// An operation must only read and write the database (and return a value); it may run twice: when one operation of a
/// group throws, the group is rolled back and run again with each operation in its own savepoint and the failed one left
/// out, so that it fails alone and leaves nothing behind.
/// </remarks>
internal sealed class SqliteWriter : IDisposable
{
    private const int MaxBatch = 64;
    private readonly ConcurrentQueue<IWrite> _queue = new();

    /// <summary>Held while the connection is in use: by the drain, and by <see cref="Dispose"/>, which closes it.</summary>
    private readonly SemaphoreSlim _connectionGate = new(1, 1);

    private readonly Func<PreparedConnection> _open;
    private PreparedConnection? _connection;
    private bool _disposed;

    /// <summary>1 while a drain is queued or running: writes queued meanwhile are its to commit.</summary>
    private int _draining;

    /// <summary>Creates a writer that opens its connection with <paramref name="open"/> on first use.</summary>
    public SqliteWriter(Func<PreparedConnection> open) => _open = open;

    /// <summary>Runs <paramref name="operation"/> in the next group transaction; completes once that transaction committed.</summary>
    public Task<T> WriteAsync<T>(Func<WriteScope, T> operation)
    {
        var write = new Write<T>(operation);
        _queue.Enqueue(write);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static writer => writer.DrainWhileQueued(), this, preferLocal: false);
        }

        return write.Completion.Task;
    }

    /// <summary>Closes the connection; later writes fail.</summary>
    public void Dispose()
    {
        _connectionGate.Wait();
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _connectionGate.Release();
        }

        while (_queue.TryDequeue(out var write))
        {
            write.Abort(new ObjectDisposedException(nameof(SqliteOrchestrationService)));
        }
    }

    /// <summary>The drain: commits groups until the queue is empty, then gives up the role unless a write came just then.</summary>
    private void DrainWhileQueued()
    {
        do
        {
            _connectionGate.Wait();
            try
            {
                Drain();
            }
            finally
            {
                _connectionGate.Release();
            }

            // A write queued after the last look at the queue found the role taken and left its commit to this drain.
            Volatile.Write(ref _draining, 0);
        }
        while (!_queue.IsEmpty && Interlocked.CompareExchange(ref _draining, 1, 0) == 0);
    }

    private void Drain()
    {
        while (!_queue.IsEmpty)
        {
            var batch = new List<IWrite>(Math.Min(MaxBatch, _queue.Count));
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            try
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                RunAndCommit(batch);
                batch.ForEach(write => write.Publish());
            }
            catch (Exception e)
            {
                // The group did not commit: nothing of it is durable, so every caller fails. The connection may be in any
                // state (a failed COMMIT, a busy timeout): start again with a new one.
                batch.ForEach(write => write.Abort(e));
                _connection?.Dispose();
                _connection = null;
            }
        }
    }

    /// <summary>
    /// Runs the group in one transaction without savepoints, the common case. When an operation throws, that transaction is
    /// rolled back and the rest of the group runs again, each operation in its own savepoint, so a second failure also
    /// stays alone.
    /// </summary>
    private void RunAndCommit(List<IWrite> batch)
    {
        var connection = _connection ??= _open();
        IWrite? failed;
        using (var transaction = connection.Connection.BeginTransaction(deferred: false))
        {
            var scope = new WriteScope(connection, transaction);
            failed = batch.Find(write => !write.Run(scope));
            if (failed is null)
            {
                transaction.Commit();
                return;
            }

            transaction.Rollback();
        }

        var rest = batch.FindAll(write => write != failed);
        if (rest.Count > 0)
        {
            using var transaction = connection.Connection.BeginTransaction(deferred: false);
            var scope = new WriteScope(connection, transaction);
            foreach (var write in rest)
            {
                scope.Command("SAVEPOINT op").ExecuteNonQuery();
                scope.Command(write.Run(scope) ? "RELEASE op" : "ROLLBACK TO op; RELEASE op").ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private interface IWrite
    {
        /// <summary>Runs the operation; false when it threw.</summary>
        bool Run(WriteScope scope);

        void Publish();

        void Abort(Exception error);
    }

    private sealed class Write<T>(Func<WriteScope, T> operation) : IWrite
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Run(WriteScope scope)
        {
            try
            {
                _result = operation(scope);
                _error = null;
                return true;
            }
            catch (Exception e)
            {
                _error = e;
                return false;
            }
        }

        public void Publish()
        {
            if (_error is null)
            {
                Completion.TrySetResult(_result!);
            }
            else
            {
                Completion.TrySetException(_error);
            }
        }

        public void Abort(Exception error) => Completion.TrySetException(_error ?? error);
    }
}
