using AgentOrchestrator.SampleServices;

// Runs the sample CRM and billing services on their own:
//   dotnet run --project src/AgentOrchestrator.SampleServices -- --urls http://127.0.0.1:5080
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSampleServices(builder.Configuration.GetSection(SampleServicesOptions.SectionName));

var app = builder.Build();
app.MapCrmService("/crm");
app.MapBillingService("/billing");
app.MapGet("/", () => "Sample services: CRM under /crm, billing under /billing.");
await app.RunAsync();

/// <summary>The sample services' entry point; public so tests can host it.</summary>
public partial class Program;
