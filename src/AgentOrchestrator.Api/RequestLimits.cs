using AgentOrchestrator.Agents.Sessions;

namespace AgentOrchestrator.Api;

/// <summary>
/// What the API accepts in bodies and queries, checked at the edge before anything is read or changed, so a refusal
/// names the input and leaves the session as it was.
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest user message, in characters (the session orchestration's own limit).</summary>
    public const int MaxMessageLength = AgentSessionClient.MaxMessageLength;

    /// <summary>The longest client <c>messageId</c>, in characters.</summary>
    public const int MaxMessageIdLength = 200;

    /// <summary>The longest reason or note (approval denial, cancel, staff actions), in characters.</summary>
    public const int MaxReasonLength = 2_000;

    /// <summary>The most events one admin timeline read returns (<c>max</c>).</summary>
    public const int MaxEventsPerRead = 1_000;

    /// <summary>The most dead letters one read returns (<c>limit</c>).</summary>
    public const int MaxDeadLettersPerRead = 1_000;

    /// <summary>Checks a message's text: present, not blank, not too long.</summary>
    public static IResult? CheckText(string field, string? text, bool required)
    {
        if (text is null && !required)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return ApiProblems.Invalid(field, $"\"{field}\" is empty; send the message text as a non-empty string.");
        }

        return text.Length > MaxMessageLength
            ? ApiProblems.Invalid(field, $"\"{field}\" has {text.Length} characters; at most {MaxMessageLength} are accepted.")
            : null;
    }

    /// <summary>Checks a client message id: 1 to <see cref="MaxMessageIdLength"/> characters, no control characters.</summary>
    public static IResult? CheckMessageId(string? messageId) => CheckId("messageId", messageId);

    /// <summary>Checks a client-chosen id (a message id, an idempotency key): 1 to <see cref="MaxMessageIdLength"/> printable characters.</summary>
    public static IResult? CheckId(string name, string? id)
    {
        if (id is null)
        {
            return null;
        }

        if (id.Length is 0 or > MaxMessageIdLength)
        {
            return ApiProblems.Invalid(name, $"\"{name}\" has {id.Length} characters; it needs 1 to {MaxMessageIdLength}.");
        }

        return id.Any(char.IsControl)
            ? ApiProblems.Invalid(name, $"\"{name}\" holds a control character; use printable characters only.")
            : null;
    }

    /// <summary>Checks an optional reason or note: at most <see cref="MaxReasonLength"/> characters.</summary>
    public static IResult? CheckReason(string? reason)
        => reason?.Length > MaxReasonLength
            ? ApiProblems.Invalid("reason", $"\"reason\" has {reason.Length} characters; at most {MaxReasonLength} are accepted.")
            : null;

    /// <summary>Checks an optional query number against an inclusive range.</summary>
    public static IResult? CheckRange(string parameter, long? value, long min, long max)
        => value is { } v && (v < min || v > max)
            ? ApiProblems.Invalid(parameter, max == long.MaxValue
                ? $"Query parameter '{parameter}' is {v}; it must be {min} or more."
                : $"Query parameter '{parameter}' is {v}; it must be {min} to {max}.")
            : null;
}
