using System.Security.Cryptography;

namespace AgentOrchestrator.SampleServices.Infrastructure;

/// <summary>Creates ids such as <c>ct_4k2m9x0q7b1z</c>: a type prefix and random lowercase letters and digits.</summary>
internal static class Ids
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string New(string prefix) => $"{prefix}_{new string(RandomNumberGenerator.GetItems<char>(Alphabet, 14))}";
}
