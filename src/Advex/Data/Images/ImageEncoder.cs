namespace Advex.Data.Images;

using SkiaSharp;

/// <summary>Writes 8-bit planes as a PNG (lossless, so <see cref="ImageDecoder"/> reads back the same bytes): one
/// channel as greyscale, three as RGB. Written atomically.</summary>
public static class ImageEncoder
{
    public static void SavePng(string path, Planes image)
    {
        if (image.Channels is not (1 or 3)) throw new ArgumentException($"a PNG holds 1 or 3 channels, not {image.Channels}");
        var n = image.PlaneSize;
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var rgba = new byte[4 * n];
        for (var i = 0; i < n; i++)
        {
            for (var c = 0; c < 3; c++) rgba[4 * i + c] = image.Data[(image.Channels == 1 ? 0 : c) * n + i];
            rgba[4 * i + 3] = 255;
        }
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100) ?? throw new AdvexException($"cannot encode {path} as PNG");
        IO.AtomicFile.WriteAllBytes(path, data.ToArray());
    }
}
