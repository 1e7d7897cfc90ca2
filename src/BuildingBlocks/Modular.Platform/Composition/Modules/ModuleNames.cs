using System.ComponentModel;
using System.Globalization;

namespace Modular.Platform.Composition.Modules;

/// <summary>
/// A list of module names in configuration: an array (<c>Modules:0</c>, <c>Modules:1</c>…) or one comma-separated
/// string (<c>"Catalog, Ordering"</c>; <c>""</c> is none). Repeats are ignored, case too.
/// </summary>
[TypeConverter(typeof(Converter))]
public sealed class ModuleNames : List<string>
{
    public ModuleNames()
    {
    }

    public ModuleNames(IEnumerable<string> names) : base(names.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase))
    {
    }

    public bool Names(ModuleDefinition module) => this.Any(n => string.Equals(n, module.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>How the configuration binder reads the comma-separated form.</summary>
    private sealed class Converter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

        public override object ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            new ModuleNames(((string)value).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
