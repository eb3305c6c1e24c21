using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>
/// Runs the operations of one sample service: injected faults, the idempotency key, and the SQLite transaction
/// in which the effect and its stored response commit together (see <see cref="IdempotencyStore"/>).
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
        await DelayAsync(fault, operation, http.RequestAborted);
        if (fault.Failure is not null)
        {
            SampleServicesLog.FaultInjected(_logger, Name, operation, fault.Failure.Mode.ToString());
            return fault.FailureResponse();
        }

        await using var connection = await Database.OpenAsync(http.RequestAborted);
        return await read(connection);
    }

    /// <summary>Runs a local write whose request has been parsed and checked; <paramref name="canonicalBody"/> is the
    /// request body in canonical form, part of what a reused key must match. The key is looked up, the change made
    /// and the response stored in ONE transaction, so a killed process leaves nothing or the completed change.
    /// Injected latency comes first: the request is slow before it touches anything.</summary>
    public async Task<IResult> WriteAsync(HttpContext http, string operation, string canonicalBody, Func<SqliteConnection, SqliteTransaction, Task<ServiceResponse>> write)
    {
        var cancellationToken = http.RequestAborted;
        if (KeyTooLong(http) is { } refused)
        {
            return refused;
        }

        var key = http.Request.Headers[IdempotencyHeader].ToString();
        var fault = _faults.Decide(operation);
        await DelayAsync(fault, operation, cancellationToken);
        if (fault.FailsBefore)
        {
            SampleServicesLog.FaultInjected(_logger, Name, operation, fault.Failure!.Mode.ToString());
            return fault.FailureResponse();
        }

        var fingerprint = Fingerprint(http, canonicalBody);
        await using var connection = await Database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        if (key.Length > 0)
        {
            var found = await IdempotencyStore.FindAsync(connection, transaction, key, fingerprint, Now, cancellationToken);
            if (found.Kind != IdempotencyClaimKind.Claimed)
            {
                return Refusal(found);
            }
        }

        var response = await write(connection, transaction);
        if (key.Length > 0)
        {
            await IdempotencyStore.StoreAsync(connection, transaction, key, fingerprint, response, Now, cancellationToken);
        }

        await transaction.CommitAsync(CancellationToken.None);
        return AfterCommit(fault, operation, response);
    }

    /// <summary>Runs a write that first calls out of the service (the card network). No transaction can be held across
    /// that call, so the key is claimed with a lease first, the call made (injected latency stands for its time), and
    /// the change committed with its response only while the claim is still this request's. The call may take at most
    /// the lease: a request still calling when its lease ends gives up, so two requests never work on one key at once.</summary>
    public async Task<IResult> WriteAfterCallOutAsync(HttpContext http, string operation, string canonicalBody, Func<SqliteConnection, SqliteTransaction, Task<ServiceResponse>> write)
    {
        var cancellationToken = http.RequestAborted;
        if (KeyTooLong(http) is { } refused)
        {
            return refused;
        }

        var key = http.Request.Headers[IdempotencyHeader].ToString();
        string? token = null;
        if (key.Length > 0)
        {
            var claim = await Idempotency.ClaimAsync(key, Fingerprint(http, canonicalBody), cancellationToken);
            if (claim.Kind != IdempotencyClaimKind.Claimed)
            {
                return Refusal(claim);
            }

            token = claim.Token;
        }

        var committed = false;
        try
        {
            var fault = _faults.Decide(operation);
            using (var leaseEnds = new CancellationTokenSource(Idempotency.Lease, _timeProvider))
            using (var calling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leaseEnds.Token))
            {
                try
                {
                    await DelayAsync(fault, operation, calling.Token);
                }
                catch (OperationCanceledException) when (leaseEnds.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return ServiceResponse.Error(503, "call_out_timed_out",
                        $"The card network did not answer within {Idempotency.Lease.TotalSeconds:0.###} s; nothing changed. Retry with the same key.");
                }
            }

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
                return ServiceResponse.Error(409, "idempotency_request_in_progress", "Another request took this idempotency key over; retry later.",
                    retryAfter: TimeSpan.FromSeconds(1));
            }

            await transaction.CommitAsync(CancellationToken.None);
            committed = true;
            return AfterCommit(fault, operation, response);
        }
        finally
        {
            if (token is not null && !committed)
            {
                await Idempotency.ReleaseAsync(key, token);
            }
        }
    }

    private static ServiceResponse? KeyTooLong(HttpContext http) =>
        http.Request.Headers[IdempotencyHeader].ToString().Length > 255
            ? ServiceResponse.Error(400, "idempotency_key_too_long", "Idempotency keys are at most 255 characters.")
            : null;

    private static ServiceResponse Refusal(IdempotencyClaim claim) => claim.Kind switch
    {
        IdempotencyClaimKind.Replay => claim.Stored!,
        IdempotencyClaimKind.Mismatch => ServiceResponse.Error(422, "idempotency_key_reused", "This idempotency key was used with different parameters; use a new key for a new request."),
        _ => ServiceResponse.Error(409, "idempotency_request_in_progress", "A request with this idempotency key is still being processed; retry later.", retryAfter: claim.RetryAfter),
    };

    private ServiceResponse AfterCommit(FaultDecision fault, string operation, ServiceResponse response)
    {
        if (!fault.FailsAfterCommit)
        {
            return response;
        }

        SampleServicesLog.FaultInjected(_logger, Name, operation, fault.Failure!.Mode.ToString());
        return fault.FailureResponse();
    }

    private Task DelayAsync(FaultDecision fault, string operation, CancellationToken cancellationToken)
    {
        if (fault.Latency <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        SampleServicesLog.LatencyInjected(_logger, Name, operation, fault.Latency);
        return Task.Delay(fault.Latency, _timeProvider, cancellationToken);
    }

    private static string Fingerprint(HttpContext http, string canonicalBody) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n{canonicalBody}")));
}
