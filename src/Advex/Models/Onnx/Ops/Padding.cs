namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

/// <summary>
/// Pad with mode constant, reflect, edge or wrap. pads = [x1_begin, x2_begin, …, x1_end, x2_end, …] (negative pads crop);
/// attributes before opset 11, inputs (pads, constant_value, axes from 18) after.
/// </summary>
internal static class Padding
{
    public static Tensor[] Pad(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var r = (int)x.dim();
        long[] pads;
        double value;
        long[] axes = Enumerable.Range(0, r).Select(i => (long)i).ToArray();
        if (node.Opset < 11)
        {
            pads = node.Ints("pads") ?? throw node.Unsupported("a missing pads");
            value = node.Float("value", 0);
        }
        else
        {
            pads = OnnxNode.Longs(node.Required(inputs, 1));
            value = inputs.Length > 2 && inputs[2] is { } v && v.numel() > 0 ? OnnxNode.Doubles(v).Single() : 0;
            if (inputs.Length > 3 && inputs[3] is { } a) axes = OnnxNode.Longs(a).Select(i => node.Axis(i, r)).ToArray();
        }
        if (pads.Length != 2 * axes.Length) throw node.Unsupported($"pads of length {pads.Length} for {axes.Length} axes");
        var begin = new long[r];
        var end = new long[r];
        for (var i = 0; i < axes.Length; i++)
        {
            begin[axes[i]] = pads[i];
            end[axes[i]] = pads[i + axes.Length];
        }
        var first = Enumerable.Range(0, r).FirstOrDefault(i => begin[i] != 0 || end[i] != 0, r);
        if (first == r) return [x.alias()];
        var torchPads = SpatialPads.TorchOrder(begin[first..], end[first..]);
        var mode = node.String("mode", "constant");
        if (mode == "constant") return [F.pad(x, torchPads, value: value)];
        var padMode = mode switch
        {
            "reflect" => TorchSharp.PaddingModes.Reflect,
            "edge" => TorchSharp.PaddingModes.Replicate,
            "wrap" => TorchSharp.PaddingModes.Circular,
            _ => throw node.Unsupported($"mode '{mode}'"),
        };
        var padded = r - first;
        if (padded > 3) throw node.Unsupported($"mode '{mode}' on {padded} axes");
        if (begin.Concat(end).Any(p => p < 0)) throw node.Unsupported($"negative pads with mode '{mode}'");
        // torch pads the trailing axes of a [batch, channel, ...] tensor: fold the unpadded leading axes into one
        long[] folded = [1, x.shape.Take(first).Aggregate(1L, (p, d) => p * d), .. x.shape.Skip(first)];
        var y = F.pad(x.reshape(folded), torchPads, padMode);
        return [y.reshape([.. x.shape.Take(first), .. y.shape.Skip(2)])];
    }
}
