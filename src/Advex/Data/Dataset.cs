namespace Advex.Data;

using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// An in-memory image classification split: pixels kept as bytes ([N,C,H,W], uint8) and labels (int64);
/// batches are converted to float in [0,1] (bytes/255) on demand, inside the caller's dispose scope.
/// </summary>
public sealed class Dataset : IDisposable
{
    private readonly Tensor pixels;
    private readonly Tensor labels;

    public Dataset(byte[] pixels, long[] labels, int channels, int height, int width, string[] classNames,
        string spec, string split)
    {
        if (pixels.LongLength != (long)labels.Length * channels * height * width)
            throw new AdvexException($"data {spec}: {labels.Length} labels but {pixels.LongLength} pixel bytes");
        var bad = labels.FirstOrDefault(l => l < 0 || l >= classNames.Length, -1);
        if (bad != -1) throw new AdvexException($"data {spec}: label {bad} outside 0..{classNames.Length - 1}");
        this.pixels = tensor(pixels, [labels.Length, channels, height, width], ScalarType.Byte);
        this.labels = tensor(labels, ScalarType.Int64);
        Count = labels.Length;
        Channels = channels;
        Height = height;
        Width = width;
        ClassNames = classNames;
        Spec = spec;
        Split = split;
        LabelArray = labels;
    }

    public int Count { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public string[] ClassNames { get; }
    public int Classes => ClassNames.Length;
    public string Spec { get; }
    public string Split { get; }
    public IReadOnlyList<long> LabelArray { get; }
    public long[] InputShape => [Channels, Height, Width];

    /// <summary>Images [n,C,H,W] float32 in [0,1] and labels [n] for the given sample indices.</summary>
    public (Tensor X, Tensor Y) Batch(long[] indices)
    {
        using var idx = tensor(indices, ScalarType.Int64);
        var x = pixels.index_select(0, idx).to_type(ScalarType.Float32).div_(255f);
        return (x, labels.index_select(0, idx));
    }

    /// <summary>Images and labels for samples [start, start+count).</summary>
    public (Tensor X, Tensor Y) Slice(int start, int count)
    {
        var x = pixels.narrow(0, start, count).to_type(ScalarType.Float32).div_(255f);
        return (x, labels.narrow(0, start, count).clone());
    }

    /// <summary>The first <paramref name="n"/> samples in file order (the <c>--limit</c> semantics).</summary>
    public Dataset Take(int n) => n >= Count ? this : Range(0, n);

    /// <summary>A new dataset of samples [start, start+count) in file order (e.g. a held-out slice).</summary>
    public Dataset Range(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new AdvexException($"data {Spec}: range [{start}, {start + count}) outside 0..{Count}");
        using var p = pixels.narrow(0, start, count).contiguous();
        var bytes = p.data<byte>().ToArray();
        return new Dataset(bytes, LabelArray.Skip(start).Take(count).ToArray(), Channels, Height, Width, ClassNames,
            Spec, Split);
    }

    public void Dispose()
    {
        pixels.Dispose();
        labels.Dispose();
    }
}
