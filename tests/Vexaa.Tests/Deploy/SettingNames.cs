using System.Reflection;
using Vexaa.Server.Hosting;

namespace Vexaa.Tests.Deploy;

/// <summary>
/// Every setting VExAA binds, in environment form (Vexaa__Workers__Count), found by reflecting over each feature's
/// options class (<see cref="VexaaSettings.Sections"/>) and their nested classes: renaming a setting makes the
/// manifests that still use the old name fail their test.
/// </summary>
public static class SettingNames
{
    public static IReadOnlySet<string> Reflected { get; } = VexaaSettings.Sections
        .SelectMany(s => Collect(s.Type, s.Path.Replace(":", "__", StringComparison.Ordinal)))
        .ToHashSet(StringComparer.Ordinal);

    public static bool IsSetting(string name) => Reflected.Contains(name);

    private static IEnumerable<string> Collect(Type type, string prefix)
    {
        // What the configuration binder sets: public instance properties with a public setter.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true))
        {
            var name = $"{prefix}__{property.Name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var nested = valueType.IsClass && valueType != typeof(string) && valueType.Assembly == type.Assembly;
            foreach (var setting in nested ? Collect(valueType, name) : [name])
            {
                yield return setting;
            }
        }
    }
}
