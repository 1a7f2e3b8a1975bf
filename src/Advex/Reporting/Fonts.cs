namespace Advex.Reporting;

using SkiaSharp;

/// <summary>The typeface for text in images: DejaVu/Liberation Sans when installed, else Skia's default.</summary>
internal static class Fonts
{
    private static readonly string[] Candidates =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
        "/Library/Fonts/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
    ];

    public static SKTypeface Sans { get; } =
        Candidates.Where(File.Exists).Select(SKTypeface.FromFile).FirstOrDefault(t => t != null) ?? SKTypeface.Default;

    /// <summary>The font family name ScottPlot should use.</summary>
    public static string SansFamily => Sans.FamilyName;
}
