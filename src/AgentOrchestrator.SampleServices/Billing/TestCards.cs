namespace AgentOrchestrator.SampleServices.Billing;

/// <summary>
/// Card numbers with a fixed outcome, like payment providers' test cards: 4000000000000002 is declined,
/// 4000000000009995 has insufficient funds, every other number that passes the Luhn check succeeds
/// (4242424242424242 is the usual one).
/// </summary>
public static class TestCards
{
    /// <summary>A card that always succeeds.</summary>
    public const string Success = "4242424242424242";

    /// <summary>A card that is always declined (<c>card_declined</c>).</summary>
    public const string Declined = "4000000000000002";

    /// <summary>A card that always lacks funds (<c>insufficient_funds</c>).</summary>
    public const string InsufficientFunds = "4000000000009995";

    /// <summary>Returns the decline code of <paramref name="cardNumber"/>, or null when the charge succeeds.</summary>
    /// <param name="cardNumber">A card number that passed <see cref="IsValidNumber"/>.</param>
    public static string? DeclineCode(string cardNumber) => cardNumber switch
    {
        Declined => "card_declined",
        InsufficientFunds => "insufficient_funds",
        _ => null,
    };

    /// <summary>Whether <paramref name="cardNumber"/> is 12 to 19 digits and passes the Luhn check.</summary>
    /// <param name="cardNumber">The card number.</param>
    public static bool IsValidNumber(string? cardNumber)
    {
        if (cardNumber is null || cardNumber.Length is < 12 or > 19 || !cardNumber.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < cardNumber.Length; i++)
        {
            var digit = cardNumber[cardNumber.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                digit *= 2;
                digit = digit > 9 ? digit - 9 : digit;
            }

            sum += digit;
        }

        return sum % 10 == 0;
    }
}
