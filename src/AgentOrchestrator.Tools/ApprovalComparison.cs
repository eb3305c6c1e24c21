namespace AgentOrchestrator.Tools;

/// <summary>The comparison of an <see cref="ApprovalRule"/> condition.</summary>
public enum ApprovalComparison
{
    /// <summary>The value is a number greater than the operand.</summary>
    GreaterThan,

    /// <summary>The value is a number greater than or equal to the operand.</summary>
    GreaterThanOrEqual,

    /// <summary>The value is a number less than the operand.</summary>
    LessThan,

    /// <summary>The value is a number less than or equal to the operand.</summary>
    LessThanOrEqual,

    /// <summary>The value equals the operand (string, number or boolean).</summary>
    EqualTo,
}
