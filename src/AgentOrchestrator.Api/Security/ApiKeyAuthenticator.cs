using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentOrchestrator.Api.Security;

/// <summary>Resolves the <c>X-Api-Key</c> header to a caller, comparing hashes in constant time.</summary>
public sealed class ApiKeyAuthenticator
{
    /// <summary>The request header that carries the key.</summary>
    public const string Header = "X-Api-Key";

    private readonly List<(string Id, byte[] Hash, ApiRole Role)> _keys = [];

    /// <summary>Loads the configured keys (or the demo keys when none are configured and that is allowed).</summary>
    public ApiKeyAuthenticator(IOptions<ApiKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (id, entry) in options.Value.Keys)
        {
            _keys.Add((id, Convert.FromHexString(entry.Sha256), entry.Role));
        }

        if (_keys.Count == 0 && options.Value.AllowDemoKeys)
        {
            _keys.Add(("demo-client", Hash("demo-client-key"), ApiRole.Client));
            _keys.Add(("demo-admin", Hash("demo-admin-key"), ApiRole.Admin));
            _keys.Add(("demo-integrator", Hash("demo-integrator-key"), ApiRole.Integrator));
            UsesDemoKeys = true;
        }
    }

    /// <summary>True when the documented demo keys are in force.</summary>
    public bool UsesDemoKeys { get; }

    /// <summary>The SHA-256 hash of a key, as configuration stores it.</summary>
    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Returns the caller for a presented key, or null when it matches none.</summary>
    public ApiCaller? Authenticate(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }

        var hash = Hash(presented);
        ApiCaller? caller = null;
        foreach (var (id, expected, role) in _keys)
        {
            // Every key is compared, each in constant time, so timing says nothing about which one matched.
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                caller = new ApiCaller(id, role);
            }
        }

        return caller;
    }
}
