using AgentOrchestrator.Api.DeadLetters;
using AgentOrchestrator.DurableTask.Sqlite;

namespace AgentOrchestrator.Host.Storage;

/// <summary>The SQLite service's poison messages: messages and activity tasks delivered too often, set aside.</summary>
internal sealed class SqliteDeadLetters(SqliteOrchestrationService service) : IDeadLetterSource
{
    public string? Unavailable => null;

    public async Task<IReadOnlyList<DeadLetterView>> ListAsync(string? sessionId, int limit, CancellationToken cancellationToken)
    {
        var messages = await service.GetPoisonMessagesAsync(sessionId, limit, cancellationToken: cancellationToken);
        return [.. messages.Select(m => new DeadLetterView(
            m.Id, m.Kind.ToString(), m.InstanceId, m.EventType, m.Name, m.DeliveryCount, m.Reason, m.SetAsideAt, m.Message))];
    }

    public Task<bool> ResubmitAsync(long id, CancellationToken cancellationToken) => service.ResubmitPoisonMessageAsync(id, cancellationToken);
}
