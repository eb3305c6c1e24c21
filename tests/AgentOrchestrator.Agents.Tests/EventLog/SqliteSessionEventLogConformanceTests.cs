using AgentOrchestrator.Agents.EventLog;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.Agents.Tests.EventLog;

/// <summary>
/// The event-log conformance suite on the SQLite log, a file per test in a temp folder; the "second host" is a second log
/// object on the same file, as a second process would open it.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class SqliteSessionEventLogConformanceTests : SessionEventLogConformanceTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ao-eventlog-").FullName;
    private readonly List<SqliteSessionEventLog> _logs = [];

    /// <inheritdoc />
    protected override Task<ISessionEventLog> CreateLogAsync() => Task.FromResult<ISessionEventLog>(Open());

    /// <inheritdoc />
    protected override Task<ISessionEventLog> OpenSecondHostAsync(ISessionEventLog log) => Task.FromResult<ISessionEventLog>(Open());

    /// <inheritdoc />
    public void Dispose()
    {
        _logs.ForEach(l => l.Dispose());
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SqliteSessionEventLog Open()
    {
        var log = new SqliteSessionEventLog(Path.Combine(_folder, "sessions.db"));
        _logs.Add(log);
        return log;
    }
}
