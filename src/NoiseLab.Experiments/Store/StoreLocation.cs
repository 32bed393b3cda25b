namespace NoiseLab.Experiments;

/// <summary>
/// A store's location as it may be shown: a postgres:// URL with its password masked, so that no output,
/// log, report or record carries it. An SQLite path is shown as it is.
/// </summary>
public static class StoreLocation
{
    /// <summary>The mask that stands for a password.</summary>
    public const string Mask = "***";

    /// <summary>
    /// <paramref name="location"/> with the password of its user information (<c>user:PASSWORD@</c>) and any
    /// <c>password=</c> query value replaced by <see cref="Mask"/>.
    /// </summary>
    public static string Redact(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        int scheme = location.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
            return location;
        // A password may hold '@', ':' or '/' unescaped; the last '@' still ends it. Masking too much is safe, too little is not.
        int at = location.LastIndexOf('@');
        string masked = location;
        if (at > scheme + 3)
        {
            int colon = location.IndexOf(':', scheme + 3, at - scheme - 3);
            if (colon > 0)
                masked = location[..(colon + 1)] + Mask + location[at..];
        }
        return MaskQueryPassword(masked);
    }

    // postgres://host/db?password=...: the same secret in another place.
    private static string MaskQueryPassword(string url)
    {
        int query = url.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
            return url;
        string[] pairs = url[(query + 1)..].Split('&');
        for (int i = 0; i < pairs.Length; i++)
        {
            if (pairs[i].StartsWith("password=", StringComparison.OrdinalIgnoreCase))
                pairs[i] = "password=" + Mask;
        }
        return url[..(query + 1)] + string.Join('&', pairs);
    }
}
