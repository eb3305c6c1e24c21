using AgentOrchestrator.Host;

// The AgentOrchestrator service. With nothing configured it runs the embedded default: SQLite under data/,
// the sample CRM and billing services under /samples, and the scripted (offline) demo model.
var app = AgentOrchestratorApp.CreateBuilder(args).Build();
app.MapAgentOrchestrator();
await app.RunAsync();

/// <summary>The host's entry point; public so tests can start it.</summary>
public partial class Program;
