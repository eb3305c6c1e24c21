namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>Amounts travel as decimals in major units (49.90) and are stored as integer minor units (4990).</summary>
internal static class Money
{
    public static bool TryToMinor(decimal amount, out long minor)
    {
        minor = 0;
        var scaled = amount * 100m;
        if (amount <= 0 || scaled != decimal.Truncate(scaled) || scaled > long.MaxValue)
        {
            return false;
        }

        minor = (long)scaled;
        return true;
    }

    public static decimal ToMajor(long minor) => minor / 100m;
}
