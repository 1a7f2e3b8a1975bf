namespace Advex.Models.Onnx;

using Advex.Models.Onnx.Ops;
using static TorchSharp.torch;

/// <summary>
/// Folds an inference-mode BatchNormalization into the Conv whose output only it reads (Ioffe &amp; Szegedy 2015,
/// eq. in §3.2 at inference): with s = scale / √(var + ε), the convolution with weights W·s (per output channel) and
/// bias (b − mean)·s + B computes the same function, so logits and input gradients are unchanged up to rounding,
/// while a forward pass runs one node instead of two. The new weights are computed in float64. A BatchNormalization
/// the converter would refuse (training mode, running-statistics outputs) is left alone, to be refused as before.
/// </summary>
internal static class OnnxBatchNormFolding
{
    public static void Apply(List<(OnnxNode Node, OnnxConverter Convert)> nodes, Dictionary<string, Tensor> constants,
        HashSet<string> graphOutputs, string path)
    {
        var readers = new Dictionary<string, int>();
        foreach (var (node, _) in nodes)
            foreach (var input in node.Proto.Input)
                readers[input] = readers.GetValueOrDefault(input) + 1;
        var producer = new Dictionary<string, int>();
        for (var i = 0; i < nodes.Count; i++)
            foreach (var output in nodes[i].Node.Proto.Output)
                producer[output] = i;
        var removed = new bool[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            OnnxGraphOrder.Checkpoint(i, path);
            var bn = nodes[i].Node;
            if (bn.OpType != "BatchNormalization" || !BatchNorm.IsInference(bn) || bn.Proto.Input.Count != 5) continue;
            var x = bn.Proto.Input[0];
            if (!producer.TryGetValue(x, out var c) || removed[c] || readers.GetValueOrDefault(x) != 1 || graphOutputs.Contains(x)) continue;
            var conv = nodes[c].Node;
            if (conv.OpType != "Conv" || conv.UsedOutputs != 1 || conv.Proto.Input.Count < 2) continue;
            var names = bn.Proto.Input.Skip(1).Append(conv.Proto.Input[1]).ToList();
            var convBias = conv.Proto.Input.Count > 2 && conv.Proto.Input[2].Length > 0 ? conv.Proto.Input[2] : null;
            if (convBias is not null) names.Add(convBias);
            if (!names.All(constants.ContainsKey)) continue;
            var weight = constants[conv.Proto.Input[1]];
            if (weight.dim() < 3 || constants[bn.Proto.Input[1]].numel() != weight.shape[0]) continue;

            var (foldedWeight, foldedBias) = Fold(bn, weight, convBias is null ? null : constants[convBias], constants);
            var proto = conv.Proto.Clone();
            var stem = $"{bn.Proto.Output[0]}::folded";
            constants[$"{stem}.weight"] = foldedWeight;
            constants[$"{stem}.bias"] = foldedBias;
            proto.Input[1] = $"{stem}.weight";
            if (proto.Input.Count > 2) proto.Input[2] = $"{stem}.bias";
            else proto.Input.Add($"{stem}.bias");
            proto.Output[0] = bn.Proto.Output[0];
            nodes[c] = (new OnnxNode(proto, conv.Index, conv.Opset, conv.ModelPath), nodes[c].Convert);
            removed[i] = true;
        }
        var kept = nodes.Where((_, i) => !removed[i]).ToList();
        nodes.Clear();
        nodes.AddRange(kept);
    }

    private static (Tensor Weight, Tensor Bias) Fold(OnnxNode bn, Tensor weight, Tensor? bias, Dictionary<string, Tensor> constants)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor Get(int k) => constants[bn.Proto.Input[k]].to_type(ScalarType.Float64).flatten();
        var s = Get(1) / (Get(4) + bn.Float("epsilon", 1e-5)).sqrt();
        var w = weight.to_type(ScalarType.Float64) * s.reshape([-1, .. Enumerable.Repeat(1L, (int)weight.dim() - 1)]);
        var b = ((bias is null ? zeros_like(s) : bias.to_type(ScalarType.Float64)) - Get(3)) * s + Get(2);
        return (w.to_type(weight.dtype).DetachFromDisposeScope(), b.to_type(weight.dtype).DetachFromDisposeScope());
    }
}
