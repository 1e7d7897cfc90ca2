namespace Modular.Platform.Distribution;

/// <summary>
/// <c>Modular:RateLimits</c>: requests per second (and at once) one client may send one module where clients come in;
/// a module's own under <c>Modules:&lt;Module&gt;</c>. Unset members fall back (see <c>ClientRateLimits</c>).
/// </summary>
public sealed class RateLimitOptions
{
    public int? PermitsPerSecond { get; set; }

    public int? Burst { get; set; }

    /// <summary>Requests one client may have in flight at once, over every module; unset or 0: no such limit.</summary>
    public int? ConcurrentRequests { get; set; }

    public Dictionary<string, ModuleRateLimitOptions> Modules { get; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One module's rate limit, <c>Modular:RateLimits:Modules:&lt;Module&gt;</c>.</summary>
public sealed class ModuleRateLimitOptions
{
    public int? PermitsPerSecond { get; set; }

    public int? Burst { get; set; }
}
