using AgentOrchestrator.Tools.Sagas;
using Json.Pointer;

namespace AgentOrchestrator.Tools.Schemas;

/// <summary>One reason a value does not match a schema, phrased for a person or a model.</summary>
/// <param name="Segments">Where the problem is: the steps from the root of the value, e.g. <c>lines</c>, <c>0</c>, <c>sku</c>.
/// For a missing property this names the property, which the value does not have.</param>
/// <param name="Message">What is wrong, e.g. <c>must be greater than 0 (got 0)</c>.</param>
/// <param name="Value">The value the schema refused, which exists in the document: the object that misses a
/// required property, otherwise the value at <paramref name="Segments"/>. Used to find its line in a file.</param>
internal sealed record SchemaError(IReadOnlyList<JsonPathSegment> Segments, string Message, JsonPointer Value)
{
    /// <summary>The location as a JSON pointer (RFC 6901), e.g. <c>/tools/0/version</c>.</summary>
    public string Pointer => JsonPointers.Format(Segments.Select(s => s.IsIndex ? s.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) : s.Name!));

    /// <summary>The location as a path into the arguments, e.g. <c>$.lines[0].sku</c>.</summary>
    public string Path => JsonPathExpression.Format(Segments);
}
