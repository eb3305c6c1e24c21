namespace AgentOrchestrator.Agents.Model;

/// <summary>Masking of personal data in text before it leaves for the model.</summary>
public sealed class PiiMaskingOptions
{
    /// <summary>Whether masking is on. Default false: the sample tools need the real email and card number
    /// the user typed, which a masked conversation would hide from the model.</summary>
    public bool Enabled { get; set; }

    /// <summary>Mask email addresses as <c>[EMAIL]</c>. Default true.</summary>
    public bool Emails { get; set; } = true;

    /// <summary>Mask phone numbers (a leading + and 7 to 15 digits, or 9 to 15 digits) as <c>[PHONE]</c>. Default true.</summary>
    public bool PhoneNumbers { get; set; } = true;

    /// <summary>Mask card numbers (12 to 19 digits passing the Luhn check) as <c>[CARD]</c>. Default true.</summary>
    public bool CardNumbers { get; set; } = true;
}
