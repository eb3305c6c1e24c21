namespace AgentOrchestrator.Agents.Sessions;

/// <summary>No session with this id exists.</summary>
public sealed class SessionNotFoundException : Exception
{
    /// <summary>Creates the exception for a session id.</summary>
    public SessionNotFoundException(string sessionId)
        : base($"Session '{sessionId}' does not exist.") => SessionId = sessionId;

    /// <summary>Creates the exception with a default message.</summary>
    public SessionNotFoundException()
        : this(string.Empty)
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public SessionNotFoundException(string message, Exception innerException)
        : base(message, innerException) => SessionId = string.Empty;

    /// <summary>The id that was not found.</summary>
    public string SessionId { get; }
}
