namespace Advex.Data.Images;

/// <summary>
/// torchvision's <c>Resize(n)</c>, <c>CenterCrop(n)</c> and <c>Grayscale()</c> on PIL images (torchvision 0.14,
/// Pillow 9.4), applied in that order as a typical <c>Compose</c> does. Each is a pure function of the bytes, so the
/// results equal torchvision's byte for byte on losslessly decoded images (checked by ImageTransformTests against
/// scripts/make_image_fixtures.py's outputs).
/// </summary>
public static class ImageTransforms
{
    public static Planes Apply(Planes image, DataOptions options)
    {
        if (options.Resize is { } r) image = ResizeShorterSide(image, r);
        if (options.CenterCrop is { } c) image = CenterCrop(image, c, c);
        if (options.Grayscale) image = Grayscale(image);
        return image;
    }

    /// <summary><c>Resize(n)</c>: the shorter side becomes n, the longer ⌊n · long / short⌋ (Python's
    /// <c>int(n * long / short)</c>), resampled by <see cref="PilResize"/>.</summary>
    public static Planes ResizeShorterSide(Planes image, int size)
    {
        var (w, h) = (image.Width, image.Height);
        var (shorter, longer) = w <= h ? (w, h) : (h, w);
        var newLongExact = (double)((long)size * longer) / shorter;
        if (newLongExact * size > ImageDecoder.MaxPixels)
            throw new AdvexException(
                $"resize {size} would make a {w}×{h} image {ImageDecoder.N(newLongExact * size)} pixels, above the limit of {ImageDecoder.N(ImageDecoder.MaxPixels)}");
        var newLong = (int)newLongExact;
        var (newW, newH) = w <= h ? (size, newLong) : (newLong, size);
        return PilResize.Resize(image, newW, newH);
    }

    /// <summary><c>CenterCrop((h, w))</c>: the window starts at round((H − h)/2), round((W − w)/2) with Python's
    /// round-half-to-even; a side larger than the image is first zero-padded by ⌊(h − H)/2⌋ before and the rest
    /// after, as torchvision pads.</summary>
    public static Planes CenterCrop(Planes image, int height, int width)
    {
        var (top, padTop) = Window(image.Height, height);
        var (left, padLeft) = Window(image.Width, width);
        var output = new byte[image.Channels * height * width];
        for (var c = 0; c < image.Channels; c++)
            for (var y = 0; y < height; y++)
            {
                var sy = top + y - padTop;
                if (sy < 0 || sy >= image.Height) continue;
                for (var x = 0; x < width; x++)
                {
                    var sx = left + x - padLeft;
                    if (sx < 0 || sx >= image.Width) continue;
                    output[(c * height + y) * width + x] = image.Data[(c * image.Height + sy) * image.Width + sx];
                }
            }
        return new Planes(image.Channels, height, width, output);
    }

    /// <summary>The first source index of a crop of <paramref name="crop"/> from <paramref name="size"/>, and the
    /// zero padding placed before the source when the crop is larger.</summary>
    private static (int Start, int PadBefore) Window(int size, int crop) =>
        crop > size ? (0, (crop - size) / 2) : ((int)Math.Round((size - crop) / 2.0, MidpointRounding.ToEven), 0);

    /// <summary>PIL's <c>convert('L')</c> (ITU-R 601-2 luma): L = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16, the
    /// fixed-point form of R·299/1000 + G·587/1000 + B·114/1000 rounded.</summary>
    public static Planes Grayscale(Planes image)
    {
        if (image.Channels == 1) return image;
        var n = image.PlaneSize;
        var output = new byte[n];
        for (var i = 0; i < n; i++)
            output[i] = (byte)((image.Data[i] * 19595 + image.Data[n + i] * 38470 + image.Data[2 * n + i] * 7471 + 0x8000) >> 16);
        return new Planes(1, image.Height, image.Width, output);
    }
}
