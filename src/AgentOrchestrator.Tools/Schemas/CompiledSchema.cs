using System.Text.Json;
using Json.Schema;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>
/// A JSON Schema built once with JsonSchema.Net as draft 2020-12 (whatever the library's default dialect) and
/// evaluated many times, from any thread. Formats (email, date-time, uuid...) are asserted, not just annotated,
/// and every problem is described with its location and a reason (<see cref="SchemaErrorDescriber"/>).
/// </summary>
internal sealed class CompiledSchema
{
    // List output: every evaluated subschema as one flat list, failing and passing, which the describer needs
    // to tell a failing anyOf from one with a failing branch among passing ones.
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    private readonly JsonSchema _schema;

    private CompiledSchema(JsonElement source, JsonSchema schema)
    {
        Source = source;
        _schema = schema;
    }

    /// <summary>The schema's JSON.</summary>
    public JsonElement Source { get; }

    /// <summary>Builds <paramref name="schema"/>, or says why it cannot be used.</summary>
    /// <param name="schema">The schema's JSON.</param>
    /// <param name="compiled">The schema, when it could be built.</param>
    /// <param name="error">Why it could not, e.g. an invalid regular expression.</param>
    public static bool TryCompile(JsonElement schema, out CompiledSchema? compiled, out string? error)
    {
        var source = schema.Clone();
        try
        {
            // A registry of its own per schema: the default one is global, and would keep every schema ever built.
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
            compiled = new CompiledSchema(source, JsonSchema.Build(source, options));
            error = null;
            return true;
        }
        catch (Exception ex) when (ex is JsonSchemaException or ArgumentException or InvalidOperationException or JsonException)
        {
            compiled = null;
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Builds a schema known to be valid, such as the embedded manifest schema.</summary>
    /// <param name="schema">The schema's JSON.</param>
    public static CompiledSchema Compile(JsonElement schema) =>
        TryCompile(schema, out var compiled, out var error) ? compiled! : throw new InvalidOperationException($"The schema cannot be built: {error}");

    /// <summary>Checks <paramref name="instance"/>; returns one error per problem, none when it matches.</summary>
    /// <param name="instance">The value to check.</param>
    public IReadOnlyList<SchemaError> Validate(JsonElement instance)
    {
        var results = _schema.Evaluate(instance, Evaluation);
        return results.IsValid ? [] : SchemaErrorDescriber.Describe(Source, instance, results);
    }
}
