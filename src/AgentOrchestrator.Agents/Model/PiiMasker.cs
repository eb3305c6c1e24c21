using System.Text.RegularExpressions;

namespace AgentOrchestrator.Agents.Model;

/// <summary>Replaces email addresses, card numbers and phone numbers in text with <c>[EMAIL]</c>, <c>[CARD]</c> and
/// <c>[PHONE]</c>. Card numbers must pass the Luhn check and phone numbers need enough digits, so amounts, dates and
/// ids pass through unchanged.</summary>
public sealed partial class PiiMasker
{
    private readonly PiiMaskingOptions _options;

    /// <summary>Creates a masker with the given choices.</summary>
    /// <param name="options">What to mask.</param>
    public PiiMasker(PiiMaskingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <summary>The text with the chosen kinds of personal data masked (whether or not masking is enabled).</summary>
    /// <param name="text">Any text.</param>
    public string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_options.Emails)
        {
            text = EmailPattern().Replace(text, "[EMAIL]");
        }

        if (_options.CardNumbers)
        {
            text = CardPattern().Replace(text, m => PassesLuhn(m.Value) ? "[CARD]" : m.Value);
        }

        if (_options.PhoneNumbers)
        {
            text = PhonePattern().Replace(text, m => LooksLikePhone(m.Value) ? "[PHONE]" : m.Value);
        }

        return text;
    }

    private static bool LooksLikePhone(string candidate)
    {
        var digits = candidate.Count(char.IsAsciiDigit);
        return candidate.StartsWith('+') ? digits is >= 7 and <= 15 : digits is >= 9 and <= 15;
    }

    private static bool PassesLuhn(string candidate)
    {
        var digits = candidate.Where(char.IsAsciiDigit).Select(c => c - '0').ToArray();
        if (digits.Length is < 12 or > 19)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var digit = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![\w])(?:\d[ \-]?){11,18}\d(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"(?<![\w+])\+?\(?\d[\d ()\-./]{5,}\d(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
