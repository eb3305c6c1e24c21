using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>The SQLite file of one sample service: creates the schema once, then hands out connections.</summary>
internal sealed class SampleDatabase
{
    private const string IdempotencySchema = """
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            key TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            state TEXT NOT NULL,
            claim_token TEXT,
            locked_until TEXT,
            status INTEGER,
            body TEXT,
            created_at TEXT NOT NULL);
        """;

    private readonly string _connectionString;
    private readonly string _schema;
    private readonly Lazy<bool> _created;

    public SampleDatabase(string path, string schema)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _schema = schema;
        _created = new Lazy<bool>(Create);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        _ = _created.Value;
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private bool Create()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000;" + IdempotencySchema + _schema;
        command.ExecuteNonQuery();
        return true;
    }
}
