using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable.Storage;

/// <summary>The in-memory store's mutable status row.</summary>
internal sealed class InstanceRow
{
    public required string InstanceId { get; init; }

    public required string Name { get; init; }

    public required string ExecutionId { get; set; }

    public required OrchestrationRuntimeStatus Status { get; set; }

    public string? Input { get; set; }

    public string? Output { get; set; }

    public string? CustomStatus { get; set; }

    public FailureDetails? Failure { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset LastUpdatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? ParentInstanceId { get; init; }

    public long Version { get; set; }

    public string? LockToken { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public void Apply(InstanceUpdate update)
    {
        ExecutionId = update.ExecutionId;
        Status = update.Status;
        Input = update.Input;
        Output = update.Output;
        CustomStatus = update.CustomStatus;
        Failure = update.Failure;
        LastUpdatedAt = update.LastUpdatedAt;
        CompletedAt = update.CompletedAt;
    }

    public OrchestrationMetadata ToMetadata() => new()
    {
        InstanceId = InstanceId,
        Name = Name,
        ExecutionId = ExecutionId,
        RuntimeStatus = Status,
        CreatedAt = CreatedAt,
        LastUpdatedAt = LastUpdatedAt,
        CompletedAt = CompletedAt,
        SerializedInput = Input,
        SerializedOutput = Output,
        SerializedCustomStatus = CustomStatus,
        Failure = Failure,
        ParentInstanceId = ParentInstanceId,
        Version = Version,
    };
}
