using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Durable.Sqlite;

/// <summary>
/// The store's one write connection, with group commit. Write operations queue up; whichever caller
/// finds the writer free becomes its leader and runs everything queued in ONE transaction (a failing operation
/// rolls back alone, see <see cref="RunAndCommit"/>), then commits once, so one fsync covers many checkpoints. No caller is answered before the commit is durable.
/// Writers in other processes are serialized by SQLite's lock and <c>busy_timeout</c>.
/// </summary>
internal sealed class SqliteWriter(string connectionString, string pragmas, Action<SqliteConnection>? opened) : IDisposable
{
    private const int MaxBatch = 64;
    private readonly ConcurrentQueue<IWrite> _queue = new();
    private readonly SemaphoreSlim _leader = new(1, 1);
    private PreparedConnection? _connection;
    private SqliteTransaction? _current;

    /// <summary>Runs <paramref name="operation"/> in the next group transaction and returns its result once that transaction has committed.</summary>
    public Task<T> WriteAsync<T>(Func<Lease, SqliteTransaction, T> operation)
    {
        var write = new Write<T>(operation);
        _queue.Enqueue(write);
        while (!_queue.IsEmpty && _leader.Wait(0))
        {
            try
            {
                Drain();
            }
            finally
            {
                _leader.Release();
            }
        }

        return write.Completion.Task;
    }

    public void Dispose()
    {
        ResetConnection();
        _leader.Dispose();
    }

    private void Drain()
    {
        while (!_queue.IsEmpty)
        {
            var batch = new List<IWrite>(MaxBatch);
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
            {
                batch.Add(next);
            }

            try
            {
                RunAndCommit(batch, new Lease(this));
                batch.ForEach(write => write.Publish());
            }
            catch (Exception e)
            {
                // The group transaction did not commit: nothing of it is durable, so every caller fails.
                batch.ForEach(write => write.Abort(e));
                ResetConnection();
            }
            finally
            {
                _current = null;
            }
        }
    }

    /// <summary>
    /// Runs the group in one transaction without savepoints, the common case: two statements fewer per operation. When an
    /// operation throws, that transaction is rolled back and the group runs again, each operation in its own savepoint and
    /// the failed one left out, so it fails alone. Running an operation again is safe: operations only read and write the
    /// database, and what the first run wrote was rolled back.
    /// </summary>
    private void RunAndCommit(List<IWrite> batch, Lease lease)
    {
        IWrite? failed;
        using (var transaction = Begin())
        {
            failed = batch.Find(write => !write.Run(lease, transaction));
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
            using var transaction = Begin();
            RunInSavepoints(rest, lease, transaction);
            transaction.Commit();
        }
    }

    private SqliteTransaction Begin() => _current = Connection().Connection.BeginTransaction();

    private static void RunInSavepoints(List<IWrite> batch, Lease lease, SqliteTransaction transaction)
    {
        foreach (var write in batch)
        {
            lease.Command("SAVEPOINT op", transaction).ExecuteNonQuery();
            if (write.Run(lease, transaction))
            {
                lease.Command("RELEASE op", transaction).ExecuteNonQuery();
            }
            else
            {
                lease.Command("ROLLBACK TO op; RELEASE op", transaction).ExecuteNonQuery();
            }
        }
    }

    private PreparedConnection Connection()
    {
        if (_connection is null)
        {
            _connection = new PreparedConnection(connectionString);
            _connection.Connection.Execute(pragmas);
            opened?.Invoke(_connection.Connection);
        }

        return _connection;
    }

    private void ResetConnection()
    {
        _connection?.Dispose();
        _connection = null;
    }

    /// <summary>The writer as operations see it: cached, prepared commands on the write connection.</summary>
    internal readonly struct Lease(SqliteWriter writer)
    {
        /// <summary>
        /// The cached command for this SQL, its parameters cleared, enlisted in the group transaction
        /// (whatever <paramref name="transaction"/> says); disposing it keeps it prepared.
        /// </summary>
        public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
        {
            var command = writer.Connection().Command(sql);
            command.Transaction = writer._current ?? transaction;
            return command;
        }
    }

    private interface IWrite
    {
        /// <summary>Runs the operation; false when it threw (its savepoint is then rolled back).</summary>
        bool Run(Lease lease, SqliteTransaction transaction);

        void Publish();

        void Abort(Exception error);
    }

    private sealed class Write<T>(Func<Lease, SqliteTransaction, T> operation) : IWrite
    {
        private T? _result;
        private Exception? _error;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Run(Lease lease, SqliteTransaction transaction)
        {
            try
            {
                _result = operation(lease, transaction);
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
