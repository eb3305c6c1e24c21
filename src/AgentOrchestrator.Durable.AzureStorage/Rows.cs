using System.Text.Json;
using AgentOrchestrator.Durable.History;
using AgentOrchestrator.Durable.Storage;
using Azure.Data.Tables;

namespace AgentOrchestrator.Durable.AzureStorage;

/// <summary>Converts inbox, task, outbox and dead-letter rows to and from the engine's records.</summary>
internal static class Rows
{
    public static long? Ticks(this TableEntity entity, string name) => entity.GetInt64(name + "Ticks");

    public static DateTimeOffset Time(this TableEntity entity, string name) => new(entity.Ticks(name) ?? 0, TimeSpan.Zero);

    public static DateTimeOffset? NullableTime(this TableEntity entity, string name) => entity.Ticks(name) is { } t ? new DateTimeOffset(t, TimeSpan.Zero) : null;

    public static void SetTime(this TableEntity entity, string name, DateTimeOffset? value) => entity[name + "Ticks"] = value?.UtcTicks;

    public static async Task<TableEntity> InboxAsync(PayloadCodec codec, OrchestrationMessage message, int deliveryCount, long sequence, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Partition(message.InstanceId), TableKeys.Inbox(message.Id))
        {
            ["Id"] = message.Id,
            ["ExecutionId"] = message.ExecutionId,
            ["DeliveryCount"] = deliveryCount,
            ["Seq"] = sequence,
        };
        entity.SetTime("VisibleAt", message.VisibleAt);
        await codec.SetAsync(entity, "Event", HistorySerializer.Serialize(message.Event), cancellationToken);
        return entity;
    }

    public static async Task<OrchestrationMessage> ReadInboxAsync(PayloadCodec codec, TableEntity entity, string instanceId, CancellationToken cancellationToken)
        => new(
            entity.GetString("Id")!,
            instanceId,
            entity.GetString("ExecutionId"),
            HistorySerializer.Deserialize((await codec.GetAsync(entity, "Event", cancellationToken))!),
            entity.Time("VisibleAt"))
        {
            DeliveryCount = entity.GetInt32("DeliveryCount") ?? 0,
        };

    public static async Task<TableEntity> TaskAsync(PayloadCodec codec, ActivityTask task, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Partition(task.InstanceId), TableKeys.Task(task.Id))
        {
            ["Id"] = task.Id,
            ["ExecutionId"] = task.ExecutionId,
            ["TaskId"] = task.TaskId,
            ["Name"] = task.Name,
            ["DeliveryCount"] = 0,
        };
        entity.SetTime("CreatedAt", task.CreatedAt);
        await codec.SetAsync(entity, "Input", task.Input, cancellationToken);
        return entity;
    }

    public static async Task<ActivityTask> ReadTaskAsync(PayloadCodec codec, TableEntity entity, string instanceId, CancellationToken cancellationToken)
        => new(
            entity.GetString("Id")!,
            instanceId,
            entity.GetString("ExecutionId")!,
            entity.GetInt32("TaskId") ?? 0,
            entity.GetString("Name")!,
            await codec.GetAsync(entity, "Input", cancellationToken),
            entity.Time("CreatedAt"));

    /// <summary>An outbox row: a message to another instance, or a sub-orchestration to create, dispatched after the commit.</summary>
    public static async Task<TableEntity> OutboxAsync(PayloadCodec codec, string partitionKey, string id, object item, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(partitionKey, TableKeys.Outbox(id)) { ["Kind"] = item is NewInstance ? "instance" : "message" };
        await codec.SetAsync(entity, "Payload", JsonSerializer.Serialize(item, item.GetType(), DataConverter.DefaultOptions), cancellationToken);
        return entity;
    }

    public static async Task<object> ReadOutboxAsync(PayloadCodec codec, TableEntity entity, CancellationToken cancellationToken)
    {
        var json = (await codec.GetAsync(entity, "Payload", cancellationToken))!;
        return entity.GetString("Kind") == "instance"
            ? JsonSerializer.Deserialize<NewInstance>(json, DataConverter.DefaultOptions)!
            : HistorySerializer.DeserializeMessage(json);
    }

    public static async Task<TableEntity> DeadLetterAsync(PayloadCodec codec, DeadLetter letter, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Partition(letter.InstanceId), TableKeys.DeadLetter(letter.DeadLetteredAt, letter.MessageId))
        {
            ["MessageId"] = letter.MessageId,
            ["InstanceId"] = letter.InstanceId,
            ["Kind"] = (int)letter.Kind,
            ["Name"] = letter.Name,
            ["DeliveryCount"] = letter.DeliveryCount,
            ["Reason"] = letter.Reason,
        };
        entity.SetTime("DeadLetteredAt", letter.DeadLetteredAt);
        await codec.SetAsync(entity, "Payload", letter.Payload, cancellationToken);
        return entity;
    }

    public static async Task<DeadLetter> ReadDeadLetterAsync(PayloadCodec codec, TableEntity entity, CancellationToken cancellationToken)
        => new(
            entity.GetString("MessageId")!,
            entity.GetString("InstanceId")!,
            (DeadLetterKind)(entity.GetInt32("Kind") ?? 0),
            entity.GetString("Name")!,
            await codec.GetAsync(entity, "Payload", cancellationToken),
            entity.GetInt32("DeliveryCount") ?? 0,
            entity.GetString("Reason") ?? string.Empty,
            entity.Time("DeadLetteredAt"));
}
