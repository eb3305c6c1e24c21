using System.Globalization;
using System.Text.Json;
using AgentOrchestrator.Tools.Sagas;

namespace AgentOrchestrator.Tools;

/// <summary>
/// Whether a call needs a person's approval before it runs: never, always, or when a condition on the
/// arguments holds (e.g. <c>$.amount</c> greater than 100). Approval applies to calls the model asks
/// for; compensations run without asking.
/// </summary>
public sealed class ApprovalRule
{
    private readonly JsonPathExpression? _path;
    private readonly JsonElement _operand;

    private ApprovalRule(bool always, JsonPathExpression? path, ApprovalComparison comparison, JsonElement operand, string? reason)
    {
        IsAlways = always;
        _path = path;
        Comparison = comparison;
        _operand = operand;
        Reason = reason;
    }

    /// <summary>The rule of a tool that never needs approval.</summary>
    public static ApprovalRule None { get; } = new(false, null, default, default, null);

    /// <summary>Every call needs approval.</summary>
    public bool IsAlways { get; }

    /// <summary>Whether the rule can ever require approval.</summary>
    public bool IsNever => !IsAlways && _path is null;

    /// <summary>The argument path of a conditional rule, e.g. <c>$.amount</c>; <see langword="null"/> otherwise.</summary>
    public string? Path => _path?.Text;

    /// <summary>The comparison of a conditional rule.</summary>
    public ApprovalComparison Comparison { get; }

    /// <summary>The value a conditional rule compares with; <see langword="null"/> otherwise.</summary>
    public JsonElement? Operand => _path is null ? null : _operand;

    /// <summary>Text shown to the person asked to approve, if the manifest gives one.</summary>
    public string? Reason { get; }

    /// <summary>Creates a rule that always requires approval.</summary>
    /// <param name="reason">Text shown to the approver.</param>
    public static ApprovalRule Always(string? reason = null) => new(true, null, default, default, reason);

    /// <summary>Creates a rule that requires approval when the value at <paramref name="path"/> compares as given.</summary>
    /// <param name="path">Path into the arguments.</param>
    /// <param name="comparison">The comparison.</param>
    /// <param name="operand">The value compared with: a number, or for <see cref="ApprovalComparison.EqualTo"/> also a string or boolean.</param>
    /// <param name="reason">Text shown to the approver.</param>
    public static ApprovalRule When(JsonPathExpression path, ApprovalComparison comparison, JsonElement operand, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new(false, path, comparison, operand.Clone(), reason);
    }

    /// <summary>
    /// Returns whether a call with these arguments needs approval. A conditional rule whose value is
    /// missing or not comparable requires approval: when in doubt, a person decides.
    /// </summary>
    /// <param name="arguments">The call's arguments.</param>
    public bool IsRequired(JsonElement arguments)
    {
        if (IsAlways)
        {
            return true;
        }

        if (_path is null)
        {
            return false;
        }

        if (!_path.TryEvaluate(arguments, out var value))
        {
            return true;
        }

        if (Comparison == ApprovalComparison.EqualTo)
        {
            return JsonElement.DeepEquals(value, _operand)
                || (value.ValueKind == JsonValueKind.Number && _operand.ValueKind == JsonValueKind.Number
                    && value.GetDecimal() == _operand.GetDecimal());
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out var number))
        {
            return true;
        }

        var limit = _operand.GetDecimal();
        return Comparison switch
        {
            ApprovalComparison.GreaterThan => number > limit,
            ApprovalComparison.GreaterThanOrEqual => number >= limit,
            ApprovalComparison.LessThan => number < limit,
            ApprovalComparison.LessThanOrEqual => number <= limit,
            _ => true,
        };
    }

    /// <summary>Describes the rule, e.g. <c>when $.amount greaterThan 100</c>.</summary>
    public override string ToString() => IsAlways
        ? "always"
        : _path is null
            ? "never"
            : string.Create(CultureInfo.InvariantCulture, $"when {_path.Text} {Comparison} {_operand.GetRawText()}");
}
