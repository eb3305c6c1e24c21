namespace AgentOrchestrator.Tools.Sagas;

/// <summary>One step of a <see cref="JsonPathExpression"/>: a property name or an array index.</summary>
public readonly record struct JsonPathSegment
{
    private JsonPathSegment(string? name, int index)
    {
        Name = name;
        Index = index;
    }

    /// <summary>The property name, or <see langword="null"/> for an index step.</summary>
    public string? Name { get; }

    /// <summary>The array index of an index step.</summary>
    public int Index { get; }

    /// <summary>Whether this is an index step.</summary>
    public bool IsIndex => Name is null;

    /// <summary>Creates a property step.</summary>
    /// <param name="name">Property name.</param>
    public static JsonPathSegment ForProperty(string name) => new(name ?? throw new ArgumentNullException(nameof(name)), -1);

    /// <summary>Creates an index step.</summary>
    /// <param name="index">Array index, from 0.</param>
    public static JsonPathSegment ForIndex(int index) => new(null, index);
}
