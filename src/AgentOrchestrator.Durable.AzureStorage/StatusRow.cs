using System.Text.Json;
using AgentOrchestrator.Durable.History;
using Azure;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>Typed access to an instance's status row. Times are stored as UTC ticks so they round-trip exactly.</summary>
internal sealed class StatusRow(TableEntity entity)
{
    public TableEntity Entity { get; } = entity;

    public string InstanceId { get => Entity.GetString(nameof(InstanceId))!; set => Entity[nameof(InstanceId)] = value; }

    public string Name { get => Entity.GetString(nameof(Name))!; set => Entity[nameof(Name)] = value; }

    public string ExecutionId { get => Entity.GetString(nameof(ExecutionId)) ?? string.Empty; set => Entity[nameof(ExecutionId)] = value; }

    public OrchestrationRuntimeStatus Status { get => (OrchestrationRuntimeStatus)(Entity.GetInt32(nameof(Status)) ?? 0); set => Entity[nameof(Status)] = (int)value; }

    public long Version { get => Entity.GetInt64(nameof(Version)) ?? 0; set => Entity[nameof(Version)] = value; }

    public int ControlPartition { get => Entity.GetInt32("P") ?? 0; set => Entity["P"] = value; }

    public int HistoryGeneration { get => Entity.GetInt32(nameof(HistoryGeneration)) ?? 0; set => Entity[nameof(HistoryGeneration)] = value; }

    public long HistorySequence { get => Entity.GetInt64(nameof(HistorySequence)) ?? 0; set => Entity[nameof(HistorySequence)] = value; }

    public string? LockToken { get => Entity.GetString(nameof(LockToken)); set => Entity[nameof(LockToken)] = value; }

    public DateTimeOffset? LockedUntil { get => GetTime(nameof(LockedUntil)); set => SetTime(nameof(LockedUntil), value); }

    /// <summary>When the partition owner's sweep should check this instance for work nobody picked up; null when nothing can be lost.</summary>
    public DateTimeOffset? WakeAt { get => GetTime(nameof(WakeAt)); set => SetTime(nameof(WakeAt), value); }

    public DateTimeOffset CreatedAt { get => GetTime(nameof(CreatedAt)) ?? default; set => SetTime(nameof(CreatedAt), value); }

    public DateTimeOffset LastUpdatedAt { get => GetTime(nameof(LastUpdatedAt)) ?? default; set => SetTime(nameof(LastUpdatedAt), value); }

    public DateTimeOffset? CompletedAt { get => GetTime(nameof(CompletedAt)); set => SetTime(nameof(CompletedAt), value); }

    public string? ParentInstanceId { get => Entity.GetString(nameof(ParentInstanceId)); set => Entity[nameof(ParentInstanceId)] = value; }

    public FailureDetails? Failure
    {
        get => Entity.GetString(nameof(Failure)) is { } json ? JsonSerializer.Deserialize<FailureDetails>(json, DataConverter.DefaultOptions) : null;
        set => Entity[nameof(Failure)] = value is null ? null : JsonSerializer.Serialize(value, DataConverter.DefaultOptions);
    }

    public ETag ETag => Entity.ETag;

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public static StatusRow Create(string partitionKey) => new(new TableEntity(partitionKey, TableKeys.Status));

    /// <summary>A copy to modify for a conditional write, so a failed write leaves the cached row as it was.</summary>
    public StatusRow Copy()
    {
        var copy = new TableEntity(Entity.PartitionKey, Entity.RowKey) { ETag = Entity.ETag };
        foreach (var (key, value) in Entity)
        {
            if (key is not ("odata.etag" or "PartitionKey" or "RowKey" or "Timestamp"))
            {
                copy[key] = value;
            }
        }

        return new StatusRow(copy);
    }

    /// <summary>Only the lock's properties, for a merge that takes the lock: a smaller transaction than the whole row.</summary>
    public TableEntity LockPatch()
    {
        var patch = new TableEntity(Entity.PartitionKey, Entity.RowKey) { [nameof(LockToken)] = LockToken };
        patch[nameof(LockedUntil) + "Ticks"] = LockedUntil?.UtcTicks;
        patch[nameof(WakeAt) + "Ticks"] = WakeAt?.UtcTicks;
        return patch;
    }

    public async Task<OrchestrationMetadata> ToMetadataAsync(PayloadCodec codec, CancellationToken cancellationToken) => new()
    {
        InstanceId = InstanceId,
        Name = Name,
        ExecutionId = ExecutionId,
        RuntimeStatus = Status,
        CreatedAt = CreatedAt,
        LastUpdatedAt = LastUpdatedAt,
        CompletedAt = CompletedAt,
        SerializedInput = await codec.GetAsync(Entity, "Input", cancellationToken),
        SerializedOutput = await codec.GetAsync(Entity, "Output", cancellationToken),
        SerializedCustomStatus = await codec.GetAsync(Entity, "CustomStatus", cancellationToken),
        Failure = Failure,
        ParentInstanceId = ParentInstanceId,
        Version = Version,
    };

    private DateTimeOffset? GetTime(string name) => Entity.GetInt64(name + "Ticks") is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    private void SetTime(string name, DateTimeOffset? value) => Entity[name + "Ticks"] = value?.UtcTicks;
}
