namespace Vexaa.Data;

/// <summary><c>Vexaa:Database</c>: which database holds users, jobs and uploads.</summary>
public sealed class DatabaseOptions
{
    public const string Section = Settings.Root + ":Database";

    /// <summary><c>sqlite</c> (embedded, one host) or <c>mysql</c> (MySQL 8 / MariaDB 10.6+, any number of hosts).</summary>
    public string Provider { get; set; } = "sqlite";
    public string? ConnectionString { get; set; }

    public IEnumerable<string> Problems()
    {
        if (Provider is not ("sqlite" or "mysql")) yield return $"{Section}:Provider must be sqlite or mysql (it is '{Provider}').";
        if (Provider == "mysql" && string.IsNullOrWhiteSpace(ConnectionString)) yield return $"{Section}:ConnectionString is required for mysql.";
    }
}
