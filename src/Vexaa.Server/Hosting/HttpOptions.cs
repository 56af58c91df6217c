namespace Vexaa.Server.Hosting;

/// <summary><c>Vexaa:Http</c>: which reverse proxies are believed about the client's address and scheme.</summary>
public sealed class HttpOptions
{
    public const string Section = Settings.Root + ":Http";

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; nobody else's are.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) of such proxies, for ingresses whose address changes.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public IEnumerable<string> Problems()
    {
        foreach (var proxy in KnownProxies.Where(p => !System.Net.IPAddress.TryParse(p, out _)))
        {
            yield return $"{Section}:KnownProxies: '{proxy}' is not an IP address.";
        }

        foreach (var network in KnownNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return $"{Section}:KnownNetworks: '{network}' is not a network in CIDR form (such as 10.0.0.0/8).";
        }
    }
}
