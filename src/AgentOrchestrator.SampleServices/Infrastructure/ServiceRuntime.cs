using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>
/// Runs the operations of one sample service: injected faults, the idempotency key, and one SQLite
/// transaction per operation in which the effect and its stored response commit together.
/// </summary>
internal sealed class ServiceRuntime
{
    public const string IdempotencyHeader = "Idempotency-Key";

    private readonly FaultInjector _faults;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ServiceRuntime(string name, SampleServiceOptions options, SampleDatabase database, TimeProvider timeProvider, ILogger logger)
    {
        Name = name;
        Options = options;
        Database = database;
        _timeProvider = timeProvider;
        _logger = logger;
        _faults = new FaultInjector(options.Faults);
        Idempotency = new IdempotencyStore(database, timeProvider, options.IdempotencyLease);
    }

    public string Name { get; }

    public SampleServiceOptions Options { get; }

    public SampleDatabase Database { get; }

    public IdempotencyStore Idempotency { get; }

    public DateTimeOffset Now => _timeProvider.GetUtcNow();

    /// <summary>Runs a read: faults apply, no key, no transaction.</summary>
    public async Task<IResult> ReadAsync(HttpContext http, string operation, Func<SqliteConnection, Task<ServiceResponse>> read)
    {
        var fault = _faults.Decide(operation);
        await DelayAsync(fault, http.RequestAborted);
        if (fault.Failure is not null)
        {
            SampleServicesLog.FaultInjected(_logger, Name, operation, fault.Failure.Mode.ToString());
            return fault.FailureResponse();
        }

        await using var connection = await Database.OpenAsync(http.RequestAborted);
        return await read(connection);
    }

    /// <summary>Runs a write whose request has been parsed and checked; <paramref name="canonicalBody"/> is the
    /// request body in canonical form, part of what a reused key must match.</summary>
    public async Task<IResult> WriteAsync(HttpContext http, string operation, string canonicalBody, Func<SqliteConnection, SqliteTransaction, Task<ServiceResponse>> write)
    {
        var cancellationToken = http.RequestAborted;
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        string? token = null;
        if (key.Length > 0)
        {
            if (key.Length > 255)
            {
                return ServiceResponse.Error(400, "idempotency_key_too_long", "Idempotency keys are at most 255 characters.");
            }

            var claim = await Idempotency.ClaimAsync(key, Fingerprint(http, canonicalBody), cancellationToken);
            switch (claim.Kind)
            {
                case IdempotencyClaimKind.Replay:
                    return claim.Stored!;
                case IdempotencyClaimKind.Mismatch:
                    return ServiceResponse.Error(422, "idempotency_key_reused", "This idempotency key was used with different parameters; use a new key for a new request.");
                case IdempotencyClaimKind.InProgress:
                    return ServiceResponse.Error(409, "idempotency_request_in_progress", "A request with this idempotency key is still being processed; retry later.");
                default:
                    token = claim.Token;
                    break;
            }
        }

        var committed = false;
        try
        {
            var fault = _faults.Decide(operation);
            await DelayAsync(fault, cancellationToken);
            if (fault.FailsBefore)
            {
                SampleServicesLog.FaultInjected(_logger, Name, operation, fault.Failure!.Mode.ToString());
                return fault.FailureResponse();
            }

            await using var connection = await Database.OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            var response = await write(connection, transaction);
            if (token is not null && !await IdempotencyStore.CompleteAsync(connection, transaction, key, token, response, cancellationToken))
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return ServiceResponse.Error(409, "idempotency_request_in_progress", "Another request took this idempotency key over; retry later.");
            }

            await transaction.CommitAsync(CancellationToken.None);
            committed = true;
            if (fault.FailsAfterCommit)
            {
                SampleServicesLog.FaultInjected(_logger, Name, operation, fault.Failure!.Mode.ToString());
                return fault.FailureResponse();
            }

            return response;
        }
        finally
        {
            if (token is not null && !committed)
            {
                await Idempotency.ReleaseAsync(key, token);
            }
        }
    }

    private Task DelayAsync(FaultDecision fault, CancellationToken cancellationToken) =>
        fault.Latency > TimeSpan.Zero ? Task.Delay(fault.Latency, _timeProvider, cancellationToken) : Task.CompletedTask;

    private static string Fingerprint(HttpContext http, string canonicalBody) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n{canonicalBody}")));
}
