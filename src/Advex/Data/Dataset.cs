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

    /// <param name="classNamesKnown">false when the class count was only inferred from the largest label seen
    /// (an IDX folder without names): training then needs the count stated explicitly</param>
    /// <param name="labelSource">the file the labels came from, named in error messages</param>
    public Dataset(byte[] pixels, long[] labels, int channels, int height, int width, string[] classNames,
        string spec, string split, bool classNamesKnown = true, string? labelSource = null)
    {
        LabelSource = labelSource ?? spec;
        if (pixels.LongLength != (long)labels.Length * channels * height * width)
            throw new AdvexException($"data {spec}: {labels.Length} labels but {pixels.LongLength} pixel bytes");
        if (classNames.Length > 0) CheckLabels(labels, classNames.Length, $"{spec} has {classNames.Length} classes");
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
        ClassNamesKnown = classNamesKnown;
    }

    /// <summary>False for an unlabelled set (<c>images:</c> files directly in the folder), made with no class names
    /// and every label 0. Whatever needs labels refuses it (<see cref="RequireLabels"/>) unless they are taken from a
    /// model's predictions.</summary>
    public bool Labelled => ClassNames.Length > 0;

    /// <summary>Where the labels came from: <c>dataset</c> (the files) or <c>predicted</c> (a model's clean
    /// predictions, see <c>Models.PredictedLabels</c>).</summary>
    public string Labels { get; init; } = LabelsFromDataset;

    public const string LabelsFromDataset = "dataset";
    public const string LabelsPredicted = "predicted";

    /// <summary>Refuses an unlabelled set, suggesting the model's predictions as labels.</summary>
    public void RequireLabels()
    {
        if (!Labelled)
            throw AdvexException.About(
                $"data {Spec} is unlabelled (its images sit directly in the folder): take each sample's label from the model's prediction with labels {LabelsPredicted}",
                "labels");
    }

    /// <summary>The same samples with other labels and class names (e.g. a model's predictions); a new object.</summary>
    public Dataset Relabel(long[] newLabels, string[] classNames, string labels)
    {
        if (newLabels.Length != Count) throw new AdvexException($"data {Spec}: {newLabels.Length} labels for {Count} samples");
        using var p = pixels.contiguous();
        return new Dataset(p.data<byte>().ToArray(), newLabels, Channels, Height, Width, classNames, Spec, Split, true,
            labels == LabelsPredicted ? "the model's predictions" : LabelSource)
        {
            Format = Format, SampleNames = SampleNames, RecordLabels = RecordLabels, Labels = labels,
        };
    }

    /// <summary>The file format the samples came from (<see cref="DataFormat"/>), so outputs can be written in it.</summary>
    public DataFormat Format { get; init; } = DataFormat.Idx;

    /// <summary>For an <c>images:</c> folder, each sample's file relative to its split folder
    /// (<c>cat/001.png</c>); null for formats whose samples have no names.</summary>
    public IReadOnlyList<string>? SampleNames { get; init; }

    /// <summary>For CIFAR data, each record's label bytes as stored (coarse and fine for CIFAR-100), so a record can
    /// be written back whole; null otherwise.</summary>
    public IReadOnlyList<byte[]>? RecordLabels { get; init; }

    /// <summary>False when the class count was inferred from the labels (see the constructor).</summary>
    public bool ClassNamesKnown { get; }

    /// <summary>The file the labels came from (or the spec), for messages.</summary>
    public string LabelSource { get; }

    /// <summary>Refuses labels outside 0..classes-1, naming the label file, the sample index and the value.</summary>
    public void CheckLabels(int classes, string why) => CheckLabels(LabelArray, classes, why);

    private void CheckLabels(IReadOnlyList<long> labels, int classes, string why)
    {
        for (var i = 0; i < labels.Count; i++)
            if (labels[i] < 0 || labels[i] >= classes)
                throw new AdvexException(
                    $"labels {LabelSource}: sample {i} has label {labels[i]}, outside 0..{classes - 1} ({why})");
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

    /// <summary>A new dataset of the first <paramref name="n"/> samples in file order (all of them when n ≥
    /// <see cref="Count"/>; the <c>limit</c> semantics). Always a new object, which the caller disposes.</summary>
    public Dataset Take(int n) => Range(0, Math.Min(n, Count));

    /// <summary>A new dataset of samples [start, start+count) in file order (e.g. a held-out slice).</summary>
    public Dataset Range(int start, int count)
    {
        if (start < 0 || count < 0 || start + count > Count)
            throw new AdvexException($"data {Spec}: range [{start}, {start + count}) outside 0..{Count}");
        using var p = pixels.narrow(0, start, count).contiguous();
        var bytes = p.data<byte>().ToArray();
        return new Dataset(bytes, LabelArray.Skip(start).Take(count).ToArray(), Channels, Height, Width, ClassNames,
            Spec, Split, ClassNamesKnown, LabelSource)
        {
            Format = Format, SampleNames = SampleNames?.Skip(start).Take(count).ToArray(),
            RecordLabels = RecordLabels?.Skip(start).Take(count).ToArray(), Labels = Labels,
        };
    }

    public void Dispose()
    {
        pixels.Dispose();
        labels.Dispose();
    }
}
