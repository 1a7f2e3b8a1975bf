namespace Advex.Data.Images;

using SkiaSharp;

/// <summary>
/// Decodes PNG, JPEG, BMP and WebP files with SkiaSharp into RGB planes, as torchvision's default loader does
/// (<c>PIL.Image.open(f).convert('RGB')</c>): grey and palette images are expanded to RGB, an alpha channel is dropped
/// (its colour values kept unpremultiplied), no colour-profile conversion and no EXIF rotation. A file that does not
/// decode completely is an error naming it.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The file name endings read as images (any case); other files in a class folder are skipped.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    private static readonly SKEncodedImageFormat[] Formats =
        [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Webp];

    /// <summary>
    /// The most pixels (width × height) an image may declare: Pillow's <c>Image.MAX_IMAGE_PIXELS</c> (89,478,485,
    /// a 1 GiB RGBA image / 3), above which Pillow warns of a decompression bomb. A file whose header declares more is
    /// refused by name before any pixel is allocated, whatever its real size (a 100-byte PNG may claim 100000×100000).
    /// </summary>
    public const long MaxPixels = 89_478_485;

    /// <summary>The largest image file read (bytes).</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>A count with thousands separators, the same in every culture.</summary>
    internal static string N(double n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsImageFile(string path) =>
        Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public static Planes DecodeRgb(string path)
    {
        byte[] bytes;
        try
        {
            bytes = IO.InputFile.ReadAllBytes(path, "image", MaxFileBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdvexException($"cannot read image {path}: {e.Message}");
        }
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data)
                          ?? throw new AdvexException($"image {path} is corrupt or not a PNG, JPEG, BMP or WebP file");
        if (!Formats.Contains(codec.EncodedFormat))
            throw new AdvexException($"image {path} is {codec.EncodedFormat}, not PNG, JPEG, BMP or WebP");
        var (w, h) = (codec.Info.Width, codec.Info.Height);
        if (w <= 0 || h <= 0) throw new AdvexException($"image {path} has no pixels ({w}×{h})");
        if ((long)w * h > MaxPixels)
            throw new AdvexException(
                $"image {path} declares {w}×{h} = {N((long)w * h)} pixels, above the limit of {N(MaxPixels)} (Pillow's MAX_IMAGE_PIXELS): refused as a decompression bomb");
        var info = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
            throw new AdvexException($"image {path} is corrupt ({codec.EncodedFormat} decoding: {result})");
        var rgba = bitmap.GetPixelSpan();
        var plane = w * h;
        var rgb = new byte[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            rgb[i] = rgba[4 * i];
            rgb[plane + i] = rgba[4 * i + 1];
            rgb[2 * plane + i] = rgba[4 * i + 2];
        }
        return new Planes(3, h, w, rgb);
    }
}
