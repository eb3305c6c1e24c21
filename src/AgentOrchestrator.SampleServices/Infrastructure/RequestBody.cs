using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>Reads a JSON request body into a request type, and its canonical form (keys sorted, no
/// whitespace) so that an idempotency key is matched on parameters, not on formatting.</summary>
internal static class RequestBody
{
    private const int MaxBytes = 64 * 1024;

    public static async Task<(T? Request, string Canonical, ServiceResponse? Error)> ReadAsync<T>(HttpContext http)
        where T : class
    {
        if (http.Request.ContentLength > MaxBytes)
        {
            return (null, string.Empty, ServiceResponse.Error(413, "request_too_large", $"Request bodies are at most {MaxBytes} bytes."));
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return (null, string.Empty, ServiceResponse.Error(400, "invalid_json", $"The request body is not valid JSON: {ex.Message}"));
        }

        if (node is not JsonObject)
        {
            return (null, string.Empty, ServiceResponse.Error(400, "invalid_json", "The request body must be a JSON object."));
        }

        T? request;
        try
        {
            request = node.Deserialize<T>(ServiceResponse.Json);
        }
        catch (JsonException ex)
        {
            return (null, string.Empty, ServiceResponse.Error(400, "invalid_request", $"The request body does not have the expected shape: {ex.Message}"));
        }

        return (request, Canonical(node)!.ToJsonString(), null);
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Canonical)]),
        _ => node?.DeepClone(),
    };
}
