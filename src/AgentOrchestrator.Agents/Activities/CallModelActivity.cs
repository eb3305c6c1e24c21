using System.Text;
using System.Text.Json;
using AgentOrchestrator.Agents.EventLog;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Tools;
using AgentOrchestrator.Tools.Schemas;
using Microsoft.DurableTask;
using Microsoft.Extensions.AI;

namespace AgentOrchestrator.Agents.Activities;

/// <summary>
/// Calls the model for one step of a turn: rebuilds the conversation from the transcript in the event log and the
/// step's new messages the orchestration handed over, streams the answer into the log as deltas (the handed events go
/// first, with the first write, see <see cref="HandedEvents"/>), and checks each tool call against the session's pinned
/// catalog. The answer and its events are written before the activity returns. A step that already answered (the activity ran twice) returns its recorded
/// answer without asking the model again, so the transcript and the history never disagree.
/// </summary>
internal sealed class CallModelActivity(
    IChatClient chat,
    ToolRegistry registry,
    ToolArgumentValidator validator,
    TranscriptCache transcripts,
    ISessionEventLog log,
    SessionEventWriter events,
    ISystemPromptProvider prompts,
    TimeProvider time) : TaskActivity<ModelCallInput, ModelCallResult>
{
    private const int DeltaBatchChars = 48;

    public override async Task<ModelCallResult> RunAsync(TaskActivityContext context, ModelCallInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var run = Guid.NewGuid().ToString("N")[..12]; // names this run's deltas: a re-run streams its own text again
        var handed = new HandedEvents(events, input.SessionId, input.Events);
        var transcript = await transcripts.ReadAsync(input.SessionId, input.Settings.Incarnation, cancellationToken).ConfigureAwait(false);
        if (TranscriptBuilder.FindRecorded(transcript, input.Turn, input.Step) is { } recorded)
        {
            return recorded; // its handed events were written with it
        }

        var tools = PinnedTools(input.Settings);
        var prompt = await prompts.GetAsync(input.SessionId, input.Settings, cancellationToken).ConfigureAwait(false);
        var messages = TranscriptBuilder.Build(prompt, await WithHandedMessagesAsync(input, transcript, cancellationToken).ConfigureAwait(false));
        var options = new ChatOptions { Tools = [.. tools.Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.StrictParameters))] };
        var started = time.GetTimestamp();
        var streaming = StreamAsync(run, input, handed, messages, options, cancellationToken);
        await handed.WriteIfSlowAsync(streaming, time).ConfigureAwait(false);
        (ChatResponse Response, string UnsentDelta, int LastBatch) response;
        try
        {
            response = await streaming.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await handed.AppendAsync(
                [events.Entry(SessionEventKinds.ModelFailed, new { turn = input.Turn, step = input.Step, error = e.Message }, $"m:{input.Turn}:{input.Step}:failed:{run}")],
                cancellationToken).ConfigureAwait(false);
            throw;
        }

        var result = ToResult(response.Response, tools, input.Settings);
        var calls = response.Response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>())
            .Select(c => new RequestedCall(c.CallId, c.Name, JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()))).ToList();
        var writes = new List<SessionLogEntry>();
        if (response.UnsentDelta.Length > 0)
        {
            writes.Add(Delta(run, input, response.UnsentDelta, response.LastBatch));
        }

        writes.AddRange(
            [
                events.Entry(TranscriptBuilder.Kind, new TranscriptMessage("assistant", result.Text, calls, Turn: input.Turn, Step: input.Step, Result: result), $"t:{input.Turn}:{input.Step}:assistant"),
                events.Entry(SessionEventKinds.ModelCompleted, new
                {
                    turn = input.Turn,
                    step = input.Step,
                    deployment = result.Deployment,
                    attempts = result.Attempts,
                    inputTokens = result.InputTokens,
                    outputTokens = result.OutputTokens,
                    cost = result.Cost,
                    latencyMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
                    text = result.Text,
                    toolCalls = result.Calls.Select(c => new { callId = c.CallId, tool = c.Name }),
                }, $"m:{input.Turn}:{input.Step}:completed"),
            ]);
        writes.AddRange(result.Calls.Select(c => events.Entry(SessionEventKinds.ToolRequested, new
        {
            turn = input.Turn,
            step = input.Step,
            callId = c.CallId,
            tool = c.Name,
            version = c.Version,
            arguments = JsonSerializer.Deserialize<JsonElement>(c.Arguments), // always JSON: serialized or normalized by Plan
            valid = c.IsValid,
            needsApproval = c.NeedsApproval,
        }, $"m:{input.Turn}:{input.Step}:requested:{c.CallId}")));
        // This call's own usage is on model.completed; the usage event carries the turn's running totals.
        var turnUsage = new TurnUsage(input.TurnUsage.InputTokens + result.InputTokens, input.TurnUsage.OutputTokens + result.OutputTokens, input.TurnUsage.Cost + result.Cost);
        writes.Add(events.Entry(SessionEventKinds.Usage, new
        {
            turn = input.Turn,
            step = input.Step,
            turnInputTokens = turnUsage.InputTokens,
            turnOutputTokens = turnUsage.OutputTokens,
            turnCost = turnUsage.Cost,
        }, $"m:{input.Turn}:{input.Step}:usage"));
        if (result.Calls.Count == 0)
        {
            // The final answer ends the turn: recorded here, in the same write, instead of by another activity.
            writes.Add(events.Entry(SessionEventKinds.TurnCompleted, new
            {
                turn = input.Turn,
                outcome = "completed",
                text = result.Text,
                inputTokens = turnUsage.InputTokens,
                outputTokens = turnUsage.OutputTokens,
                cost = turnUsage.Cost,
            }, AgentSessionClient.TurnCompletedKey(input.Turn)));
        }

        // Written before the result is returned: a repeat of this step finds the answer and returns it.
        await handed.AppendAsync(writes, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The stored transcript and the step's new messages, which the orchestration handed over and which are written with
    /// the step's first append: unless an earlier run of this step already stored them (all handed events go in one
    /// append, so finding the last says whether all are there), they are added here so the model sees them.
    /// </summary>
    private async Task<IReadOnlyList<TranscriptMessage>> WithHandedMessagesAsync(
        ModelCallInput input, IReadOnlyList<TranscriptMessage> stored, CancellationToken cancellationToken)
    {
        var handed = input.Events.Where(e => e.Kind == TranscriptBuilder.Kind).ToList();
        if (handed.Count == 0 || await log.FindAsync(input.SessionId, handed[^1].DedupeKey, cancellationToken).ConfigureAwait(false) is not null)
        {
            return stored;
        }

        return [.. stored, .. handed.Select(e => SessionJson.Deserialize<TranscriptMessage>(e.Data)!)];
    }

    /// <summary>Streams the answer, recording deltas in batches; the last batch is returned to be written with the answer.</summary>
    private async Task<(ChatResponse Response, string UnsentDelta, int LastBatch)> StreamAsync(
        string run, ModelCallInput input, HandedEvents handed, List<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        var pending = new StringBuilder();
        var batch = 0;
        await foreach (var update in chat.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            updates.Add(update);
            pending.Append(update.Text);
            if (pending.Length >= DeltaBatchChars)
            {
                await handed.AppendAsync([Delta(run, input, pending.ToString(), ++batch)], cancellationToken).ConfigureAwait(false);
                pending.Clear();
            }
        }

        return (updates.ToChatResponse(), pending.ToString(), batch + 1);
    }

    /// <summary>
    /// A batch of streamed text. Its dedupe key names the run and the batch, so a write the store retries after a lost
    /// answer is stored once, while a re-run of the call streams its own text.
    /// </summary>
    private SessionLogEntry Delta(string run, ModelCallInput input, string text, int batch)
        => events.Entry(SessionEventKinds.ModelDelta, new { turn = input.Turn, step = input.Step, text }, $"m:{input.Turn}:{input.Step}:delta:{run}:{batch}");

    private List<ToolDefinition> PinnedTools(SessionSettings settings)
        => [.. settings.ToolVersions.Select(p => registry.TryGetTool(p.Key, p.Value, out var tool) ? tool : null).OfType<ToolDefinition>()];

    private ModelCallResult ToResult(ChatResponse response, List<ToolDefinition> tools, SessionSettings settings)
    {
        var calls = response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).Select(c => Plan(c, tools, settings)).ToList();
        var (input, output, cost, deployment, attempts) = ModelUsage.Of(response);
        return new ModelCallResult(response.Text, calls, input, output, cost, deployment, attempts);
    }

    private PlannedCall Plan(FunctionCallContent call, List<ToolDefinition> tools, SessionSettings settings)
    {
        var arguments = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>());
        var tool = tools.Find(t => t.Name == call.Name);
        if (tool is null)
        {
            var known = string.Join(", ", settings.ToolVersions.Keys.Order(StringComparer.Ordinal));
            return Rejected(call, arguments, $"There is no tool named '{call.Name}'. Available tools: {known}.");
        }

        if (call.Exception is not null)
        {
            return Rejected(call, arguments, $"The arguments are not valid JSON: {call.Exception.Message}", tool.Version);
        }

        using var document = JsonDocument.Parse(arguments);
        var validation = validator.Validate(tool, document.RootElement);
        var normalized = validation.Arguments.GetRawText();
        var approval = tool.Approval.IsRequired(validation.Arguments) ? tool.Approval.Reason ?? $"{tool.Name} needs approval" : null;
        return new PlannedCall(
            call.CallId,
            tool.Name,
            tool.Version,
            normalized,
            [.. validation.Errors.Select(e => e.ToString())],
            tool.Effects.ReadOnly,
            tool.Saga?.Role.ToString().ToLowerInvariant(),
            approval,
            CallRetries.From(tool));
    }

    private static PlannedCall Rejected(FunctionCallContent call, string arguments, string error, string? version = null)
        => new(call.CallId, call.Name, version, arguments, [error], false, null, null, new CallRetry(1, 0, 1, 0));
}
