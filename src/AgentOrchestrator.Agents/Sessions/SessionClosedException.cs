namespace AgentOrchestrator.Agents.Sessions;

/// <summary>The session has ended (completed, failed or terminated) and takes no more input.</summary>
public sealed class SessionClosedException : Exception
{
    /// <summary>Creates the exception for a session id and its status.</summary>
    public SessionClosedException(string sessionId, string status)
        : base($"Session '{sessionId}' is {status} and takes no more input.") => SessionId = sessionId;

    /// <summary>Creates the exception with a default message.</summary>
    public SessionClosedException()
        : base("The session takes no more input.") => SessionId = string.Empty;

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public SessionClosedException(string message, Exception innerException)
        : base(message, innerException) => SessionId = string.Empty;

    /// <summary>The session's id.</summary>
    public string SessionId { get; }
}
