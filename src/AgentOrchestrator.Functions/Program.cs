using AgentOrchestrator.Functions;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// The AgentOrchestrator service as an Azure Functions isolated app: run with Core Tools (func start) or deploy.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.AddAgentOrchestrator();
await builder.Build().RunAsync();
