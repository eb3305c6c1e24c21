namespace AgentOrchestrator.Agents.EventLog;

/// <summary>
/// A session event log's store could not be reached (after the storage client's own retries): nothing was read, and a
/// write may or may not have been stored. Retrying the same append later is safe: entries already stored are skipped by
/// their dedupe keys.
/// </summary>
public sealed class SessionEventLogUnavailableException : Exception
{
    /// <summary>Creates the exception with a message that says which store did not answer.</summary>
    public SessionEventLogUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message that says which store did not answer, and the error behind it.</summary>
    public SessionEventLogUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
