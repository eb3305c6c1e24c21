namespace AgentOrchestrator.Api.Security;

/// <summary>Request limits per API key, bound from the <c>RateLimit</c> configuration section.</summary>
public sealed class RateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "RateLimit";

    /// <summary>Requests one API key may make per <see cref="Window"/>. Default 600.</summary>
    public int PermitsPerWindow { get; set; } = 600;

    /// <summary>Requests one client address without a valid key may make per <see cref="Window"/> (the admin page's files, refused calls). Default 120.</summary>
    public int AnonymousPermitsPerWindow { get; set; } = 120;

    /// <summary>The fixed window the permits refill in. Default 1 minute.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The largest request body accepted, in bytes; larger ones are refused with 413. Default 1 MiB (a manifest may be large; a message is at most 32,000 characters).</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Checks the values; throws naming the first bad one.</summary>
    public void Validate()
    {
        if (PermitsPerWindow < 1 || AnonymousPermitsPerWindow < 1)
        {
            throw new InvalidOperationException($"{SectionName}:PermitsPerWindow and {SectionName}:AnonymousPermitsPerWindow must be at least 1.");
        }

        if (Window <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{SectionName}:Window must be positive.");
        }

        if (MaxRequestBodyBytes < 1024)
        {
            throw new InvalidOperationException($"{SectionName}:MaxRequestBodyBytes must be at least 1024.");
        }
    }
}
