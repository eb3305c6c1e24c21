using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>
/// Idempotency keys as Stripe and the IETF Idempotency-Key draft describe them: a repeat with the same
/// parameters gets the stored response, a repeat with other parameters gets 422, and a repeat while the first
/// request still runs gets 409 with <c>Retry-After</c>. Two ways to hold a key:
/// <list type="bullet">
/// <item>A local operation looks the key up, makes its change and stores its response in ONE transaction
/// (<see cref="FindAsync"/>, then <see cref="StoreAsync"/>): a process killed at any point leaves either nothing,
/// so a retry runs, or the completed change with its response, so a retry replays it. The key is never seen
/// "in progress".</item>
/// <item>An operation that calls out (a card network) cannot hold a transaction across the call. It claims the key
/// with a lease in a transaction of its own (<see cref="ClaimAsync"/>), calls out, then commits its change and
/// response with <see cref="CompleteAsync"/> only while the claim is still its own. A claim left by a killed
/// process is reserved until its lease ends, never for good: the next request after that takes it over.</item>
/// </list>
/// </summary>
internal sealed class IdempotencyStore(SampleDatabase database, TimeProvider timeProvider, TimeSpan lease)
{
    /// <summary>How long a claim holds its key.</summary>
    public TimeSpan Lease { get; } = lease;

    /// <summary>What the key says, read inside the caller's transaction: a stored response, other parameters, a live
    /// claim, or free (<see cref="IdempotencyClaimKind.Claimed"/> without a token: nothing stops the request).</summary>
    public static async Task<IdempotencyClaim> FindAsync(SqliteConnection connection, SqliteTransaction transaction, string key, string fingerprint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var select = connection.CreateCommand();
        select.Transaction = transaction;
        select.CommandText = "SELECT fingerprint, state, locked_until, status, body FROM idempotency_keys WHERE key = $key";
        select.Parameters.AddWithValue("$key", key);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return IdempotencyClaim.Free;
        }

        if (reader.GetString(0) != fingerprint)
        {
            return IdempotencyClaim.Mismatch;
        }

        if (reader.GetString(1) == "completed")
        {
            return IdempotencyClaim.Replay(new ServiceResponse(reader.GetInt32(3), reader.GetString(4), replayed: true));
        }

        var until = DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture);
        return until > now ? IdempotencyClaim.Busy(until - now) : IdempotencyClaim.Free;
    }

    /// <summary>Stores the completed response of a local operation in its own transaction, together with its change.</summary>
    public static async Task StoreAsync(SqliteConnection connection, SqliteTransaction transaction, string key, string fingerprint, ServiceResponse response, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        upsert.CommandText = """
            INSERT INTO idempotency_keys (key, fingerprint, state, status, body, created_at)
            VALUES ($key, $fingerprint, 'completed', $status, $body, $now)
            ON CONFLICT (key) DO UPDATE SET state = 'completed', status = $status, body = $body, claim_token = NULL, locked_until = NULL
            """;
        upsert.Parameters.AddWithValue("$key", key);
        upsert.Parameters.AddWithValue("$fingerprint", fingerprint);
        upsert.Parameters.AddWithValue("$status", response.StatusCode);
        upsert.Parameters.AddWithValue("$body", response.Body);
        upsert.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Claims the key for an operation that calls out, for <see cref="Lease"/>, in a transaction of its own.</summary>
    public async Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var now = timeProvider.GetUtcNow();
        var found = await FindAsync(connection, transaction, key, fingerprint, now, cancellationToken);
        if (found.Kind != IdempotencyClaimKind.Claimed)
        {
            return found;
        }

        var token = Guid.NewGuid().ToString("N");
        using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO idempotency_keys (key, fingerprint, state, claim_token, locked_until, created_at)
                VALUES ($key, $fingerprint, 'in_progress', $token, $until, $now)
                ON CONFLICT (key) DO UPDATE SET claim_token = $token, locked_until = $until
                """;
            upsert.Parameters.AddWithValue("$key", key);
            upsert.Parameters.AddWithValue("$fingerprint", fingerprint);
            upsert.Parameters.AddWithValue("$token", token);
            upsert.Parameters.AddWithValue("$until", (now + Lease).ToString("O", CultureInfo.InvariantCulture));
            upsert.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return IdempotencyClaim.Claimed(token);
    }

    /// <summary>Stores the response of a claimed key in the operation's transaction; false when another request took the key over.</summary>
    public static async Task<bool> CompleteAsync(SqliteConnection connection, SqliteTransaction transaction, string key, string token, ServiceResponse response, CancellationToken cancellationToken)
    {
        using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = """
            UPDATE idempotency_keys SET state = 'completed', status = $status, body = $body, claim_token = NULL, locked_until = NULL
            WHERE key = $key AND claim_token = $token AND state = 'in_progress'
            """;
        update.Parameters.AddWithValue("$status", response.StatusCode);
        update.Parameters.AddWithValue("$body", response.Body);
        update.Parameters.AddWithValue("$key", key);
        update.Parameters.AddWithValue("$token", token);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Gives a claimed key back after a request that changed nothing, so a retry can run at once.</summary>
    public async Task ReleaseAsync(string key, string token)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM idempotency_keys WHERE key = $key AND claim_token = $token AND state = 'in_progress'";
        delete.Parameters.AddWithValue("$key", key);
        delete.Parameters.AddWithValue("$token", token);
        await delete.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>The state of a key (in_progress or completed), or null, for tests and support.</summary>
    public async Task<string?> GetStateAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT state FROM idempotency_keys WHERE key = $key";
        select.Parameters.AddWithValue("$key", key);
        return await select.ExecuteScalarAsync(cancellationToken) as string;
    }
}
