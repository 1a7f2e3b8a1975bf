namespace Advex.Data.Images;

/// <summary>
/// Bilinear resampling with antialiasing exactly as Pillow resizes an 8-bit image (<c>Image.resize(size,
/// BILINEAR)</c>, which torchvision's <c>Resize</c> calls for PIL images): a separable convolution, horizontal pass
/// first, with the triangle filter widened by the scale factor when shrinking (so every source pixel contributes —
/// the antialias), weights normalised per output pixel and rounded to 22-bit fixed point, each pass rounded and
/// clamped to a byte. Output pixel i of a pass centred at source coordinate c = (i + ½)·scale takes source pixels
/// j in [⌊c − s + ½⌋, ⌊c + s + ½⌋) with weight tri((j − c + ½)/f), f = max(scale, 1), s = f.
/// A dimension that keeps its size is copied unchanged, as in Pillow.
/// </summary>
public static class PilResize
{
    private const int PrecisionBits = 32 - 8 - 2;

    public static Planes Resize(Planes image, int width, int height)
    {
        var result = image;
        if (width != image.Width) result = Horizontal(result, width);
        if (height != image.Height) result = Vertical(result, height);
        return result;
    }

    private static Planes Horizontal(Planes im, int outW)
    {
        var (bounds, weights, k) = Coefficients(im.Width, outW);
        var output = new byte[im.Channels * im.Height * outW];
        for (var c = 0; c < im.Channels; c++)
            for (var y = 0; y < im.Height; y++)
            {
                var row = (c * im.Height + y) * im.Width;
                var outRow = (c * im.Height + y) * outW;
                for (var x = 0; x < outW; x++)
                {
                    var (min, count) = bounds[x];
                    var ss = 1 << (PrecisionBits - 1);
                    for (var j = 0; j < count; j++) ss += im.Data[row + min + j] * weights[x * k + j];
                    output[outRow + x] = Clip(ss);
                }
            }
        return new Planes(im.Channels, im.Height, outW, output);
    }

    private static Planes Vertical(Planes im, int outH)
    {
        var (bounds, weights, k) = Coefficients(im.Height, outH);
        var output = new byte[im.Channels * outH * im.Width];
        for (var c = 0; c < im.Channels; c++)
            for (var y = 0; y < outH; y++)
            {
                var (min, count) = bounds[y];
                for (var x = 0; x < im.Width; x++)
                {
                    var ss = 1 << (PrecisionBits - 1);
                    for (var j = 0; j < count; j++)
                        ss += im.Data[(c * im.Height + min + j) * im.Width + x] * weights[y * k + j];
                    output[(c * outH + y) * im.Width + x] = Clip(ss);
                }
            }
        return new Planes(im.Channels, outH, im.Width, output);
    }

    private static byte Clip(int ss) => (byte)Math.Clamp(ss >> PrecisionBits, 0, 255);

    /// <summary>Per output pixel: the first source pixel and how many contribute, and the fixed-point weights
    /// (k per output pixel, zero-padded).</summary>
    private static ((int Min, int Count)[] Bounds, int[] Weights, int K) Coefficients(int inSize, int outSize)
    {
        var scale = (double)inSize / outSize;
        var filterScale = Math.Max(scale, 1.0);
        var support = 1.0 * filterScale; // the bilinear (triangle) filter has support 1
        var k = (int)Math.Ceiling(support) * 2 + 1;
        var bounds = new (int, int)[outSize];
        var weights = new int[outSize * k];
        var w = new double[k];
        for (var i = 0; i < outSize; i++)
        {
            var center = (i + 0.5) * scale;
            var min = Math.Max((int)(center - support + 0.5), 0);
            var max = Math.Min((int)(center + support + 0.5), inSize) - min;
            var sum = 0.0;
            var inverse = 1.0 / filterScale; // multiplied, not divided, as Pillow does, for the same rounding
            for (var j = 0; j < max; j++)
            {
                w[j] = Triangle((j + min - center + 0.5) * inverse);
                sum += w[j];
            }
            for (var j = 0; j < max; j++)
            {
                var v = sum != 0 ? w[j] / sum : w[j];
                weights[i * k + j] = (int)(v < 0 ? -0.5 + v * (1 << PrecisionBits) : 0.5 + v * (1 << PrecisionBits));
            }
            bounds[i] = (min, max);
        }
        return (bounds, weights, k);
    }

    private static double Triangle(double x)
    {
        x = Math.Abs(x);
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
