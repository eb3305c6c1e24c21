using System.Reflection;
using AgentOrchestrator.Agents.Activities;
using AgentOrchestrator.Agents.Sessions;
using AgentOrchestrator.Api;
using AgentOrchestrator.Tools;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace AgentOrchestrator.Functions.Tests;

/// <summary>The app's service provider, from the registrations Program makes: every function and what it needs resolves.</summary>
public sealed class ServiceProviderTests
{
    private static readonly string[] DurableTasks =
        [AgentSessionOrchestrator.Name, SessionActivityNames.StartSession, SessionActivityNames.CallModel, SessionActivityNames.InvokeTool, SessionActivityNames.RecordEvents];

    [Fact]
    public void Build_Options_PassTheStartupValidation()
    {
        using var app = FunctionsApp.Build();

        app.Services.GetRequiredService<IStartupValidator>().Validate();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "tools-manifests"), app.Services.GetRequiredService<IOptions<AgentToolsOptions>>().Value.ManifestsPath);
        Assert.Equal("AgentOrchestrator", app.Services.GetRequiredService<IConfiguration>()["extensions:durableTask:hubName"]);
    }

    [Fact]
    public void FunctionClasses_EveryOne_IsCreatedWithItsDependencies()
    {
        using var app = FunctionsApp.Build();
        using var scope = app.Services.CreateScope();
        var classes = typeof(SessionFunctions).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();

        Assert.Equal(["IntegratorFunctions", "SessionFunctions", "StaffFunctions"], classes.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(classes, t => Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, t)));
    }

    [Fact]
    public async Task ApiEndpoints_EveryService_ResolvesInAnInvocationScope()
    {
        using var app = FunctionsApp.Build();
        var catalog = app.Services.GetRequiredService<ApiEndpointCatalog>();
        var isService = app.Services.GetRequiredService<IServiceProviderIsService>();
        using var scope = app.Services.CreateScope();
        var durable = new Mock<DurableTaskClient>("test").Object;
        scope.ServiceProvider.GetRequiredService<InvocationDurableClient>().Client = durable;

        Assert.Equal((await SelfHostedApi.EndpointsAsync()).Count, catalog.Endpoints.Count);
        var services = catalog.Endpoints
            .SelectMany(e => e.Metadata.GetMetadata<MethodInfo>()!.GetParameters())
            .Select(p => p.ParameterType)
            .Where(t => t != typeof(HttpContext) && t != typeof(HttpRequest) && t != typeof(CancellationToken) && isService.IsService(t))
            .Distinct()
            .ToList();
        Assert.Contains(typeof(AgentSessionClient), services);
        Assert.Contains(typeof(ToolRegistry), services);
        Assert.All(services, t => Assert.NotNull(scope.ServiceProvider.GetRequiredService(t)));
        Assert.All(catalog.Endpoints, e => Assert.NotNull(e.RequestDelegate));
        Assert.Same(durable, GetClient(scope.ServiceProvider.GetRequiredService<AgentSessionClient>()));
    }

    [Fact]
    public void DurableTasks_OrchestratorAndActivities_AreCreatedFromTheSessionRegistry()
    {
        using var app = FunctionsApp.Build();
        using var scope = app.Services.CreateScope();
        var factory = app.Services.GetRequiredService<IDurableTaskFactory>();

        Assert.True(factory.TryCreateOrchestrator(AgentSessionOrchestrator.Name, scope.ServiceProvider, out var orchestrator));
        Assert.IsType<AgentSessionOrchestrator>(orchestrator);
        foreach (var activity in DurableTasks.Skip(1))
        {
            Assert.True(factory.TryCreateActivity(activity, scope.ServiceProvider, out var created), activity);
            Assert.NotNull(created);
        }
    }

    [Fact]
    public async Task FunctionMetadata_WhatTheWorkerReports_HttpFunctionsAndTheDurableTasks()
    {
        using var app = FunctionsApp.Build();
        var metadata = await app.Services.GetRequiredService<IFunctionMetadataManager>().GetFunctionMetadataAsync(FunctionsBuild.Output);

        var triggers = metadata.ToDictionary(f => f.Name!, f => f.RawBindings!.Select(b => System.Text.Json.JsonDocument.Parse(b).RootElement.GetProperty("type").GetString()).First(t => t!.EndsWith("Trigger", StringComparison.Ordinal)));
        Assert.Equal("orchestrationTrigger", triggers[AgentSessionOrchestrator.Name]);
        Assert.All(DurableTasks.Skip(1), a => Assert.Equal("activityTrigger", triggers[a]));
        Assert.All(FunctionsBuild.Functions(), f => Assert.Equal(f.TriggerType, triggers[f.Name]));
        Assert.Equal(FunctionsBuild.Functions().Count + DurableTasks.Length, metadata.Length);
    }

    private static DurableTaskClient GetClient(AgentSessionClient sessions)
        => (DurableTaskClient)typeof(AgentSessionClient).GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Single(f => f.FieldType == typeof(DurableTaskClient)).GetValue(sessions)!;
}
