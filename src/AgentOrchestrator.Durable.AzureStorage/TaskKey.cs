namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>Names one activity task row: its instance and its task id.</summary>
/// <param name="InstanceId">The instance whose partition holds the task.</param>
/// <param name="TaskId">The task's deterministic id.</param>
internal readonly record struct TaskKey(string InstanceId, string TaskId)
{
    /// <summary>The work-item queue message body.</summary>
    public string ToMessage() => $"{InstanceId}\n{TaskId}";

    /// <summary>Parses a work-item queue message body; false when it is not one.</summary>
    public static bool TryParse(string text, out TaskKey key)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        key = newline > 0 ? new TaskKey(text[..newline], text[(newline + 1)..]) : default;
        return newline > 0 && newline < text.Length - 1;
    }
}
