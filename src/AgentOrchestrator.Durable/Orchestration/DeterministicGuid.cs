using System.Security.Cryptography;
using System.Text;

namespace AgentOrchestrator.Durable.Orchestration;

/// <summary>Name-based (version 5 style) GUIDs: the same name always gives the same GUID.</summary>
internal static class DeterministicGuid
{
    private static readonly byte[] Namespace = new Guid("9e952958-5e33-4daf-827f-2fa12937b875").ToByteArray();

    public static Guid Create(string name)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var buffer = new byte[Namespace.Length + nameBytes.Length];
        Namespace.CopyTo(buffer, 0);
        nameBytes.CopyTo(buffer, Namespace.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 name-based GUIDs use; this is not a security boundary.
        var hash = SHA1.HashData(buffer);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
