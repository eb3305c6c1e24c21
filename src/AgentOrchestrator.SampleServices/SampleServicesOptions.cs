namespace AgentOrchestrator.SampleServices;

/// <summary>Settings of the sample services, bound from the <c>SampleServices</c> configuration section.</summary>
public sealed class SampleServicesOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "SampleServices";

    /// <summary>The CRM service. Default database file: <c>crm.db</c>.</summary>
    public SampleServiceOptions Crm { get; set; } = new() { DatabasePath = "crm.db" };

    /// <summary>The billing service. Default database file: <c>billing.db</c>.</summary>
    public SampleServiceOptions Billing { get; set; } = new() { DatabasePath = "billing.db" };
}
