using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentOrchestrator.Api.Telemetry;

/// <summary>
/// The host's OpenTelemetry sources: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. Model calls are traced by Microsoft.Extensions.AI's OpenTelemetry client under the same name
/// (gen_ai spans and the gen_ai.client.* metrics); tool calls and compensations are traced here.
/// </summary>
public sealed class HostTelemetry : IDisposable
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "AgentOrchestrator";

    /// <summary>Creates the sources.</summary>
    public HostTelemetry()
    {
        Source = new ActivitySource(Name);
        Meter = new Meter(Name);
        SessionsStarted = Meter.CreateCounter<long>("agentorchestrator.sessions.started", "{session}", "Sessions started through the API.");
        ToolDuration = Meter.CreateHistogram<double>("agentorchestrator.tool.duration", "s", "Duration of one tool call attempt, compensations included.");
        Compensations = Meter.CreateCounter<long>("agentorchestrator.compensations", "{compensation}", "Compensation attempts by tool and outcome.");
        ModelTokens = Meter.CreateCounter<long>("agentorchestrator.model.tokens", "{token}", "Model tokens by deployment and type (input, output).");
        ModelCost = Meter.CreateCounter<double>("agentorchestrator.model.cost", "{currency}", "Model cost in the price table's currency, by deployment.");
        StreamsOpen = Meter.CreateUpDownCounter<long>("agentorchestrator.sse.connections", "{connection}", "Open server-sent event streams.");
        Meter.CreateObservableGauge("agentorchestrator.dead_letters", () => DeadLetters, "{message}", "Dead-lettered messages in the store, as last counted.");
    }

    /// <summary>Spans of tool calls and compensations.</summary>
    public ActivitySource Source { get; }

    /// <summary>The host's metrics.</summary>
    public Meter Meter { get; }

    /// <summary>Sessions started through the API.</summary>
    public Counter<long> SessionsStarted { get; }

    /// <summary>Duration of one tool call attempt.</summary>
    public Histogram<double> ToolDuration { get; }

    /// <summary>Compensation attempts.</summary>
    public Counter<long> Compensations { get; }

    /// <summary>Model tokens.</summary>
    public Counter<long> ModelTokens { get; }

    /// <summary>Model cost.</summary>
    public Counter<double> ModelCost { get; }

    /// <summary>Open SSE streams.</summary>
    public UpDownCounter<long> StreamsOpen { get; }

    /// <summary>The dead-letter count last read from the store (by the host that counts them).</summary>
    public long DeadLetters { get; set; }

    /// <inheritdoc />
    public void Dispose()
    {
        Source.Dispose();
        Meter.Dispose();
    }
}
