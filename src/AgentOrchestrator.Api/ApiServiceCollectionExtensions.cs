using AgentOrchestrator.Api.Logging;
using AgentOrchestrator.Api.Security;

namespace AgentOrchestrator.Api;

/// <summary>Registers what the API needs, the same way in every host that serves it.</summary>
public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers logging that masks secrets and personal data, problem details for every refusal (with the exception
    /// handler that words bad requests), request binding that throws on bad input so that handler can word it, the API's
    /// JSON options, API keys with their roles, the per-key rate limiter and the request size limit, and what the
    /// endpoints take from services: <see cref="InternalAddresses"/>, <see cref="SessionPresenter"/> and
    /// <see cref="SessionEventStream"/>. The host adds the sessions (<c>AddAgentSessions</c>), the tools
    /// (<c>AddAgentTools</c>), an <see cref="DeadLetters.IDeadLetterSource"/> and <c>AddHostTelemetry</c>.
    /// </summary>
    public static IServiceCollection AddAgentOrchestratorApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddRedactedLogging();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ApiProblems.Describe);
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Binding failures (bad JSON, wrong types, wrong content type, a query value that is not a number) throw, so that
        // ApiExceptionHandler words them: which field or parameter, and what it must be. Otherwise they are bare statuses.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
            // Masks (••••0002) and names stay readable in curl; only the characters HTML and JSON need are escaped.
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
        });
        services.AddHostSecurity(configuration);
        services.AddSingleton<InternalAddresses>();
        services.AddSingleton<SessionPresenter>();
        services.AddSingleton<SessionEventStream>();
        return services;
    }
}
