namespace Modular.Platform.Distribution.Operations;

/// <summary>The operations page: one static HTML file with its script and styles inside (no CDN, nothing to fetch).</summary>
internal static class OperationsPage
{
    public static string Html { get; } = Read();

    private static string Read()
    {
        using var stream = typeof(OperationsPage).Assembly.GetManifestResourceStream("Modular.Platform.Distribution.Operations.ops.html")
                           ?? throw new InvalidOperationException("The operations page is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
