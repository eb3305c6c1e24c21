using System.Text.Json;
using AgentOrchestrator.Durable.History;

namespace AgentOrchestrator.Durable;

/// <summary>The state of an orchestration instance as a client sees it.</summary>
public sealed record OrchestrationMetadata
{
    /// <summary>The instance id.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The orchestrator name.</summary>
    public required string Name { get; init; }

    /// <summary>The current execution id.</summary>
    public required string ExecutionId { get; init; }

    /// <summary>The runtime status.</summary>
    public required OrchestrationRuntimeStatus RuntimeStatus { get; init; }

    /// <summary>When the instance was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its status row last changed.</summary>
    public required DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>When it reached a terminal status, if it has.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The serialized input of the current execution.</summary>
    public string? SerializedInput { get; init; }

    /// <summary>The serialized output, once completed (or the reason, once terminated).</summary>
    public string? SerializedOutput { get; init; }

    /// <summary>The serialized custom status.</summary>
    public string? SerializedCustomStatus { get; init; }

    /// <summary>The failure, once failed.</summary>
    public FailureDetails? Failure { get; init; }

    /// <summary>The parent instance, for a sub-orchestration.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>The optimistic version of the status row.</summary>
    public long Version { get; init; }

    /// <summary>Deserializes the output.</summary>
    public T? ReadOutputAs<T>(JsonSerializerOptions? options = null)
        => SerializedOutput is null ? default : JsonSerializer.Deserialize<T>(SerializedOutput, options ?? DataConverter.DefaultOptions);

    /// <summary>Deserializes the input.</summary>
    public T? ReadInputAs<T>(JsonSerializerOptions? options = null)
        => SerializedInput is null ? default : JsonSerializer.Deserialize<T>(SerializedInput, options ?? DataConverter.DefaultOptions);

    /// <summary>Deserializes the custom status.</summary>
    public T? ReadCustomStatusAs<T>(JsonSerializerOptions? options = null)
        => SerializedCustomStatus is null ? default : JsonSerializer.Deserialize<T>(SerializedCustomStatus, options ?? DataConverter.DefaultOptions);
}
