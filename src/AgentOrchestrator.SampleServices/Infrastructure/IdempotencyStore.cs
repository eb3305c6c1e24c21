using System.Globalization;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>
/// Idempotency keys as Stripe and the IETF Idempotency-Key draft describe them. A request claims its key
/// in a short transaction of its own; its effect and its stored response then commit together, in the
/// operation's transaction, and only while the claim is still its own. So a key's effect happens at most
/// once, a repeat gets the stored response, a repeat with other parameters gets 422, and a repeat while
/// the first request is still running gets 409. A claim left by a request that died expires after the lease.
/// </summary>
internal sealed class IdempotencyStore(SampleDatabase database, TimeProvider timeProvider, TimeSpan lease)
{
    public async Task<IdempotencyClaim> ClaimAsync(string key, string fingerprint, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var now = timeProvider.GetUtcNow();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = "SELECT fingerprint, state, locked_until, status, body FROM idempotency_keys WHERE key = $key";
            select.Parameters.AddWithValue("$key", key);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetString(0) != fingerprint)
                {
                    return IdempotencyClaim.Mismatch;
                }

                if (reader.GetString(1) == "completed")
                {
                    return IdempotencyClaim.Replay(new ServiceResponse(reader.GetInt32(3), reader.GetString(4), replayed: true));
                }

                if (DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture) > now)
                {
                    return IdempotencyClaim.InProgress;
                }
            }
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
            upsert.Parameters.AddWithValue("$until", (now + lease).ToString("O", CultureInfo.InvariantCulture));
            upsert.Parameters.AddWithValue("$now", now.ToString("O", CultureInfo.InvariantCulture));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return IdempotencyClaim.Claimed(token);
    }

    /// <summary>Stores the response in the operation's transaction; false when another request took the key over.</summary>
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

    /// <summary>Gives the key back after a request that did nothing, so a retry can run.</summary>
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
