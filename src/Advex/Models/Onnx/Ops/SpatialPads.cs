namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>
/// The kernel geometry shared by Conv and the pools: strides and dilations (default 1), and the begin/end padding
/// of each spatial axis from <c>pads</c> [x1_begin, x2_begin, …, x1_end, x2_end, …] or <c>auto_pad</c>
/// (SAME_UPPER puts the odd extra padding at the end, SAME_LOWER at the beginning, VALID pads nothing).
/// </summary>
internal sealed record SpatialPads(long[] Kernel, long[] Strides, long[] Dilations, long[] Begin, long[] End)
{
    public int Rank => Kernel.Length;

    public bool Symmetric => Begin.SequenceEqual(End);

    public static SpatialPads Of(OnnxNode node, long[] inputSpatial, long[] kernel)
    {
        var n = kernel.Length;
        var strides = node.Ints("strides") ?? Ones(n);
        var dilations = node.Ints("dilations") ?? Ones(n);
        if (strides.Length != n || dilations.Length != n)
            throw node.Unsupported($"strides/dilations of length {strides.Length}/{dilations.Length} for a {n}-d kernel");
        var begin = new long[n];
        var end = new long[n];
        var autoPad = node.String("auto_pad", "NOTSET");
        switch (autoPad)
        {
            case "NOTSET":
                var pads = node.Ints("pads") ?? new long[2 * n];
                if (pads.Length != 2 * n) throw node.Unsupported($"pads of length {pads.Length} for a {n}-d kernel");
                Array.Copy(pads, 0, begin, 0, n);
                Array.Copy(pads, n, end, 0, n);
                break;
            case "VALID":
                break;
            case "SAME_UPPER" or "SAME_LOWER":
                for (var i = 0; i < n; i++)
                {
                    var output = (inputSpatial[i] + strides[i] - 1) / strides[i];
                    var total = Math.Max(0, (output - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - inputSpatial[i]);
                    var small = total / 2;
                    (begin[i], end[i]) = autoPad == "SAME_UPPER" ? (small, total - small) : (total - small, small);
                }
                break;
            default:
                throw node.Unsupported($"auto_pad '{autoPad}'");
        }
        return new SpatialPads(kernel, strides, dilations, begin, end);
    }

    /// <summary>Pads the spatial axes (the last <see cref="Rank"/>) explicitly, begin and end as given.</summary>
    public Tensor PadExplicitly(Tensor x, double value = 0) => F.pad(x, TorchOrder(Begin, End), value: value);

    /// <summary>F.pad's order: the last axis first, as (begin, end) pairs.</summary>
    public static long[] TorchOrder(long[] begin, long[] end) =>
        Enumerable.Range(0, begin.Length).Reverse().SelectMany(i => new[] { begin[i], end[i] }).ToArray();

    public static long[] Ones(int n) => Enumerable.Repeat(1L, n).ToArray();
}
