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
/// Calls the model for one step of a turn: writes the events the orchestration handed over (the step's new transcript
/// messages among them), rebuilds the conversation from the transcript in the event log, streams the answer into the
/// log as deltas, and checks each tool call against the session's pinned catalog. The answer and its events are
/// written before the activity returns. A step that already answered (the activity ran twice) returns its recorded
/// answer without asking the model again, so the transcript and the history never disagree.
/// </summary>
internal sealed class CallModelActivity(
    IChatClient chat,
    ToolRegistry registry,
    ToolArgumentValidator validator,
    TranscriptCache transcripts,
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
        await events.AppendAsync(input.SessionId, input.Events, cancellationToken).ConfigureAwait(false);
        var transcript = await transcripts.ReadAsync(input.SessionId, input.Settings.Incarnation, cancellationToken).ConfigureAwait(false);
        if (TranscriptBuilder.FindRecorded(transcript, input.Turn, input.Step) is { } recorded)
        {
            return recorded;
        }

        var tools = PinnedTools(input.Settings);
        var messages = TranscriptBuilder.Build(await prompts.GetAsync(input.SessionId, input.Settings, cancellationToken).ConfigureAwait(false), transcript);
        var options = new ChatOptions { Tools = [.. tools.Select(t => AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.StrictParameters))] };
        var started = time.GetTimestamp();
        (ChatResponse Response, string UnsentDelta, int LastBatch) response;
        try
        {
            response = await StreamAsync(run, input, messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await events.AppendAsync(
                input.SessionId,
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
        await events.AppendAsync(input.SessionId, writes, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>Streams the answer, recording deltas in batches; the last batch is returned to be written with the answer.</summary>
    private async Task<(ChatResponse Response, string UnsentDelta, int LastBatch)> StreamAsync(
        string run, ModelCallInput input, List<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
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
                await events.AppendAsync(input.SessionId, [Delta(run, input, pending.ToString(), ++batch)], cancellationToken).ConfigureAwait(false);
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
