using System.Reflection;
using Vexaa.Hosting;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Every setting VExAA binds, in environment form (Vexaa__Workers__Count), found by reflecting over
/// <see cref="VexaaOptions"/> and its nested option classes: renaming a setting makes the manifests that still use the
/// old name fail their test.
/// </summary>
public static class SettingNames
{
    /// <summary>
    /// Settings announced by work still in progress (S3 storage, Redis) that the manifests already use. Each one counts
    /// only while VexaaOptions has no section where it would go; once that section exists, reflection alone decides, so
    /// the real names must then match these.
    /// </summary>
    private static readonly string[] Announced =
    [
        "Vexaa__Storage__S3__ServiceUrl", "Vexaa__Storage__S3__Region", "Vexaa__Storage__S3__Bucket",
        "Vexaa__Storage__S3__AccessKey", "Vexaa__Storage__S3__SecretKey", "Vexaa__Storage__S3__ForcePathStyle",
        "Vexaa__Storage__S3__UseChunkEncoding", "Vexaa__Redis__Configuration",
    ];

    private static readonly (HashSet<string> Names, HashSet<string> Sections) Found = Collect();

    public static IReadOnlySet<string> Reflected => Found.Names;

    /// <summary>The nested option classes' paths (Vexaa__Workers, ...).</summary>
    public static IReadOnlySet<string> Sections => Found.Sections;

    /// <summary>Announced settings whose section does not exist yet: allowed, but not checked by reflection.</summary>
    public static IEnumerable<string> StillAnnounced => Announced.Where(name => !Sections.Contains(name[..name.LastIndexOf("__", StringComparison.Ordinal)]));

    public static bool IsSetting(string name) => Reflected.Contains(name) || StillAnnounced.Contains(name);

    private static (HashSet<string>, HashSet<string>) Collect()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var sections = new HashSet<string>(StringComparer.Ordinal);
        Walk(typeof(VexaaOptions), VexaaOptions.Section, names, sections);
        return (names, sections);
    }

    private static void Walk(Type type, string prefix, HashSet<string> names, HashSet<string> sections)
    {
        sections.Add(prefix);
        // What the configuration binder sets: public instance properties with a public setter.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var name = $"{prefix}__{property.Name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (valueType.IsClass && valueType != typeof(string) && valueType.Assembly == typeof(VexaaOptions).Assembly)
            {
                Walk(valueType, name, names, sections);
            }
            else
            {
                names.Add(name);
            }
        }
    }
}
