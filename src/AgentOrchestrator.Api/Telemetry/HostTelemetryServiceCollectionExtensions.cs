using AgentOrchestrator.Tools.Invocation;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AgentOrchestrator.Api.Telemetry;

/// <summary>Registers traces, metrics and health checks.</summary>
public static class HostTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HostTelemetry"/>, wraps the tools layer's invoker with spans and metrics and the model gateway
    /// with gen_ai spans and token and cost metrics (call after <c>AddAgentTools</c> and <c>AddModelGateway</c>;
    /// message contents are never recorded), and sets up OpenTelemetry for the host's source and meter plus ASP.NET Core's. Export is OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// configured (the standard OpenTelemetry variables apply), else nothing leaves the process.
    /// </summary>
    public static IServiceCollection AddHostTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<HostTelemetry>();
        DecorateToolInvoker(services);
        DecorateChatClient(services);
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? "agentorchestrator"))
            .WithTracing(t => t.AddSource(HostTelemetry.Name).AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health")))
            .WithMetrics(m => m.AddMeter(HostTelemetry.Name).AddAspNetCoreInstrumentation());
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return services;
    }

    private static void DecorateToolInvoker(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IToolInvoker) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("AddHostTelemetry needs the tools layer: call AddAgentTools first.");
        services.Remove(registered);
        services.AddSingleton<IToolInvoker>(sp =>
        {
            var inner = registered.ImplementationInstance as IToolInvoker
                ?? registered.ImplementationFactory?.Invoke(sp) as IToolInvoker
                ?? (IToolInvoker)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
            return new InstrumentedToolInvoker(inner, sp.GetRequiredService<HostTelemetry>(), sp.GetRequiredService<TimeProvider>());
        });
    }

    private static void DecorateChatClient(IServiceCollection services)
    {
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(IChatClient) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("AddHostTelemetry needs the model gateway: call AddModelGateway first.");
        services.Remove(registered);
        services.AddSingleton(sp =>
        {
            var inner = registered.ImplementationInstance as IChatClient
                ?? registered.ImplementationFactory?.Invoke(sp) as IChatClient
                ?? (IChatClient)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!);
            return new ChatClientBuilder(new MeteredChatClient(inner, sp.GetRequiredService<HostTelemetry>()))
                .UseOpenTelemetry(sp.GetRequiredService<ILoggerFactory>(), HostTelemetry.Name, c => c.EnableSensitiveData = false)
                .Build(sp);
        });
    }
}
