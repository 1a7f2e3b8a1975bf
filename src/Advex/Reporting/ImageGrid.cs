namespace Advex.Reporting;

using Advex.IO;
using SkiaSharp;

/// <summary>
/// A PNG grid of small images with a caption over each cell and a label at the start of each row
/// (step 004's figure: a row per ε, each image titled "true → adversarial prediction").
/// </summary>
public static class ImageGrid
{
    public sealed record Cell(float[] Pixels, string Caption, bool Highlight = false);

    public sealed record Row(string Label, IReadOnlyList<Cell> Cells);

    /// <param name="channels">1 (grey) or 3 (RGB); pixels are [C,H,W] in [0,1]</param>
    public static void Save(string path, IReadOnlyList<Row> rows, int channels, int height, int width, int scale = 3,
        string? title = null)
    {
        const int caption = 18, pad = 6, titleHeight = 26;
        using var font = new SKFont(Fonts.Sans, 12);
        // the label column is as wide as the longest row label (a fixed width cut "apgd-ce ε=0.3" to "apgd-ce ε=0.")
        var labelWidth = Math.Max(90, (int)Math.Ceiling(rows.Select(r => font.MeasureText(r.Label)).DefaultIfEmpty(0).Max()) + 2 * pad);
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Cells.Count);
        var cellW = width * scale + pad;
        var cellH = height * scale + caption + pad;
        var top = title is null ? 0 : titleHeight;
        var info = new SKImageInfo(labelWidth + columns * cellW + pad, top + rows.Count * cellH + pad);
        using var bitmap = new SKBitmap(info);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var titleFont = new SKFont(Fonts.Sans, 15);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var red = new SKPaint { Color = new SKColor(200, 30, 30), IsAntialias = true };
        if (title != null) canvas.DrawText(title, pad, 18, SKTextAlign.Left, titleFont, ink);
        for (var r = 0; r < rows.Count; r++)
        {
            var y0 = top + r * cellH + pad;
            canvas.DrawText(rows[r].Label, pad, y0 + caption + height * scale / 2f, SKTextAlign.Left, font, ink);
            for (var c = 0; c < rows[r].Cells.Count; c++)
            {
                var cell = rows[r].Cells[c];
                var x0 = labelWidth + c * cellW;
                canvas.DrawText(cell.Caption, x0 + width * scale / 2f, y0 + caption - 5, SKTextAlign.Center, font,
                    cell.Highlight ? red : ink);
                using var image = ToBitmap(cell.Pixels, channels, height, width);
                canvas.DrawBitmap(image, new SKRect(x0, y0 + caption, x0 + width * scale, y0 + caption + height * scale));
            }
        }
        using var encoded = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.WriteAllBytes(path, encoded.ToArray());
    }

    private static SKBitmap ToBitmap(float[] pixels, int channels, int height, int width)
    {
        var bmp = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var plane = height * width;
        for (var i = 0; i < plane; i++)
        {
            byte Channel(int ch) => (byte)Math.Clamp(MathF.Round(pixels[(channels == 1 ? 0 : ch) * plane + i] * 255f), 0, 255);
            bmp.SetPixel(i % width, i / width, new SKColor(Channel(0), Channel(1), Channel(2)));
        }
        return bmp;
    }
}
