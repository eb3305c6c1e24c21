using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentOrchestrator.Agents.EventLog;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace AgentOrchestrator.Agents.Sessions;

/// <summary>
/// What chat frontends and support staff do with sessions: start one, send messages, decide approvals, cancel a turn,
/// end it, read its status and event log, and act on parked rollbacks. Starting with an idempotency key and sending with
/// a message id are safe to retry: a lost response never starts a second session or a second turn.
/// </summary>
public sealed partial class AgentSessionClient(DurableTaskClient client, ISessionEventLog eventLog, SessionEventNotifier notifier, TimeProvider time)
{
    /// <summary>The longest user message accepted, in characters.</summary>
    public const int MaxMessageLength = 32_000;

    /// <summary>The longest message id or idempotency key accepted, in characters.</summary>
    public const int MaxIdLength = 200;

    private static readonly IReadOnlyList<string> AnyStatus = Enum.GetNames<OrchestrationRuntimeStatus>();

    /// <summary>Starts a session for <paramref name="owner"/>, optionally with a first message.</summary>
    /// <param name="owner">The principal that owns the session.</param>
    /// <param name="firstMessage">An optional first message.</param>
    /// <param name="idempotencyKey">
    /// Optional client key: a repeated start with the same key and first message returns the session the first start made;
    /// with another first message it throws <see cref="IdempotencyKeyReusedException"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The session's status, and whether this call created it.</returns>
    public async Task<SessionStart> StartSessionAsync(
        string owner, string? firstMessage = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        if (firstMessage is not null)
        {
            ValidateText(firstMessage);
        }

        ValidateId(idempotencyKey, nameof(idempotencyKey));
        var fingerprint = Hash(firstMessage ?? string.Empty);
        var sessionId = idempotencyKey is null ? "s-" + Guid.NewGuid().ToString("N") : "s-" + Hash($"{owner}\n{idempotencyKey}")[..32];
        var input = new SessionInput
        {
            Owner = owner,
            FirstMessage = firstMessage is null ? null : new UserMessage("m-1", firstMessage),
            RequestFingerprint = fingerprint,
        };
        try
        {
            // With a key, an instance of that id in any state means this start already happened.
            var options = new StartOrchestrationOptions(sessionId) { DedupeStatuses = idempotencyKey is null ? null : AnyStatus };
            await client.ScheduleNewOrchestrationInstanceAsync(AgentSessionOrchestrator.Name, input, options, cancellationToken);
        }
        catch (OrchestrationAlreadyExistsException) when (idempotencyKey is not null)
        {
            var existing = await client.GetInstanceAsync(sessionId, getInputsAndOutputs: true, cancellationToken);
            if (existing?.ReadInputAs<SessionInput>() is { } original && original.RequestFingerprint != fingerprint)
            {
                throw new IdempotencyKeyReusedException(idempotencyKey);
            }

            return new SessionStart((await GetStatusAsync(sessionId, cancellationToken))!, Created: false);
        }

        return new SessionStart((await GetStatusAsync(sessionId, cancellationToken))!, Created: true);
    }

    /// <summary>
    /// Sends a user message; it starts a turn now, or after the running turn ends. Resending with the same
    /// <paramref name="messageId"/> never starts a second turn: with the same text it returns the first delivery's turn
    /// (and its answer once there is one); with other text it throws <see cref="MessageIdReusedException"/>.
    /// </summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="text">The message.</param>
    /// <param name="messageId">Optional client id for the message.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<MessageReceipt> SendMessageAsync(string sessionId, string text, string? messageId = null, CancellationToken cancellationToken = default)
    {
        ValidateText(text);
        ValidateId(messageId, nameof(messageId));
        await EnsureOpenAsync(sessionId, cancellationToken);
        var id = messageId ?? "m-" + Guid.NewGuid().ToString("N");
        var received = new SessionLogEntry(
            SessionEventKinds.MessageReceived, SessionJson.Serialize(new { messageId = id, textSha256 = Hash(text) }), time.GetUtcNow(), MessageKey(id));
        var stored = await eventLog.AppendAsync(sessionId, [received], cancellationToken);
        notifier.Appended(sessionId);
        if (stored.Count == 0)
        {
            var first = await eventLog.FindAsync(sessionId, MessageKey(id), cancellationToken);
            if (first is not null && JsonDocument.Parse(first.Data).RootElement.GetProperty("textSha256").GetString() != Hash(text))
            {
                throw new MessageIdReusedException(sessionId, id);
            }

            if (await TurnOfAsync(sessionId, id, cancellationToken) is { } receipt)
            {
                return receipt; // already run (or running): nothing is sent again
            }
        }

        // Sent again after a resend whose first send may have been lost; the session drops a message id it has seen.
        await client.RaiseEventAsync(sessionId, SessionEventNames.UserMessage, new UserMessage(id, text), cancellationToken);
        return new MessageReceipt(id, Duplicate: stored.Count == 0, Turn: null, Answer: null);
    }

    /// <summary>Approves or denies a tool call that waits for approval.</summary>
    /// <exception cref="ArgumentException">No such call is waiting.</exception>
    public async Task DecideApprovalAsync(string sessionId, ApprovalDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var status = await EnsureOpenAsync(sessionId, cancellationToken);
        if (!status.Progress.PendingApprovals.Any(p => p.CallId == decision.CallId))
        {
            throw new ArgumentException($"No tool call '{decision.CallId}' is waiting for approval in session '{sessionId}'.", nameof(decision));
        }

        await client.RaiseEventAsync(sessionId, SessionEventNames.Approval, decision, cancellationToken);
    }

    /// <summary>Cancels the running turn: its completed steps are rolled back and the session waits for the next message.</summary>
    public async Task CancelTurnAsync(string sessionId, string? reason = null, CancellationToken cancellationToken = default)
    {
        var status = await EnsureOpenAsync(sessionId, cancellationToken);
        // Names the turn, so a cancel delivered late (or twice) never cancels the next one.
        await client.RaiseEventAsync(sessionId, SessionEventNames.Cancel, new CancelRequest(reason, status.Progress.Turn), cancellationToken);
    }

    /// <summary>Ends the session after its running turn.</summary>
    public async Task EndSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(sessionId, cancellationToken);
        await client.RaiseEventAsync(sessionId, SessionEventNames.End, null, cancellationToken);
    }

    /// <summary>Runs a parked chain's failed compensations again, or records that staff resolved them by hand.</summary>
    /// <exception cref="ArgumentException">No such chain is parked.</exception>
    public async Task ActOnParkedChainAsync(string sessionId, ChainAction action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var status = await EnsureOpenAsync(sessionId, cancellationToken);
        if (!status.Progress.ParkedChains.Any(c => c.ChainId == action.ChainId))
        {
            throw new ArgumentException($"No chain '{action.ChainId}' is parked in session '{sessionId}'.", nameof(action));
        }

        await client.RaiseEventAsync(sessionId, SessionEventNames.ChainAction, action, cancellationToken);
    }

    /// <summary>Reads a session's events after <paramref name="afterSequence"/>, oldest first.</summary>
    public async Task<IReadOnlyList<SessionEvent>> ReadEventsAsync(string sessionId, long afterSequence, int maxCount = 500, CancellationToken cancellationToken = default)
    {
        var records = await eventLog.ReadAsync(sessionId, afterSequence, maxCount, cancellationToken: cancellationToken);
        return [.. records.Select(r => new SessionEvent(r.Sequence, r.Kind, r.Timestamp, ParseData(r.Data)))];
    }

    internal static string MessageKey(string messageId) => $"msg:{messageId}";

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static JsonElement ParseData(string data)
    {
        using var document = JsonDocument.Parse(data);
        return document.RootElement.Clone();
    }

    private static void ValidateText(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("The message text is empty.", nameof(text));
        }

        if (text.Length > MaxMessageLength)
        {
            throw new ArgumentException($"The message text has {text.Length} characters; at most {MaxMessageLength} are accepted.", nameof(text));
        }
    }

    private static void ValidateId(string? id, string name)
    {
        if (id is not null && (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength || id.Any(char.IsControl)))
        {
            throw new ArgumentException($"The {name} must be 1 to {MaxIdLength} printable characters.", name);
        }
    }

    /// <summary>The turn a message started and its answer, once the session has taken the message up.</summary>
    private async Task<MessageReceipt?> TurnOfAsync(string sessionId, string messageId, CancellationToken cancellationToken)
    {
        if (await eventLog.FindAsync(sessionId, TurnStartedKey(messageId), cancellationToken) is not { } started)
        {
            return null;
        }

        var turn = JsonDocument.Parse(started.Data).RootElement.GetProperty("turn").GetInt32();
        var completed = await eventLog.FindAsync(sessionId, TurnCompletedKey(turn), cancellationToken);
        var answer = completed is null ? null : JsonDocument.Parse(completed.Data).RootElement.GetProperty("text").GetString();
        return new MessageReceipt(messageId, Duplicate: true, turn, answer);
    }

    internal static string TurnStartedKey(string messageId) => $"msg:{messageId}:turn";

    internal static string TurnCompletedKey(int turn) => $"turn:{turn}:completed";
}
