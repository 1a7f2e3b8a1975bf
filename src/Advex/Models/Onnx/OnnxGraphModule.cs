namespace Advex.Models.Onnx;

using global::Onnx;
using static TorchSharp.torch;

/// <summary>
/// An ONNX graph as a TorchSharp module: initializers and Constant nodes become buffers (so <c>.to(float64)</c>
/// converts them), and each forward evaluates the nodes in topological order on a name → tensor environment with
/// torch operations, so gradients flow from the outputs back to the inputs. Every node is checked against
/// <see cref="OnnxOps"/> when the module is built: an op, opset or attribute without a converter is an
/// <see cref="OnnxUnsupportedException"/> before anything runs.
/// </summary>
public sealed class OnnxGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly List<(OnnxNode Node, OnnxConverter Convert)> steps = [];
    private readonly Dictionary<string, string> bufferKeys = [];

    public OnnxGraphModule(ModelProto model, string path) : base("OnnxGraph")
    {
        try
        {
            Path = path;
            Opset = OnnxFile.DefaultOpset(model);
            var graph = model.Graph;
            foreach (var init in graph.Initializer) AddBuffer(init.Name, OnnxTensors.ToTensor(init, $"ONNX model {path}"));
            if (graph.SparseInitializer.Count > 0)
                throw new OnnxUnsupportedException($"ONNX model {path}: sparse initializers are not supported");
            InputNames = graph.Input.Select(i => i.Name).Where(n => !bufferKeys.ContainsKey(n)).ToArray();
            OutputNames = graph.Output.Select(o => o.Name).ToArray();
            Inputs = graph.Input.Where(i => !bufferKeys.ContainsKey(i.Name)).ToArray();
            foreach (var value in Inputs.Concat(graph.Output).Where(v => v.Type is { TensorType: null }))
                throw new OnnxUnsupportedException(
                    $"ONNX model {path}: graph input/output '{value.Name}' is a {value.Type.ValueCase}, not a tensor, which is not supported");
            foreach (var proto in TopologicalOrder(graph, path))
            {
                var node = new OnnxNode(proto, graph.Node.IndexOf(proto), Opset, path);
                var entry = OnnxOps.For(node);
                if (node.OpType == "Constant")
                    AddBuffer(proto.Output[0], entry.Convert(node, [])[0]);
                else
                    steps.Add((node, entry.Convert));
            }
            var batch = Inputs.Length == 1 ? Inputs[0].Type?.TensorType?.Shape?.Dim.FirstOrDefault() : null;
            StaticBatchOfOne = batch is { HasDimValue: true, DimValue: 1 };
        }
        catch
        {
            Dispose(); // the buffers registered so far
            throw;
        }
    }

    public string Path { get; }
    public int Opset { get; }
    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<string> OutputNames { get; }
    /// <summary>The graph inputs that are not initializers, with their declared types and shapes.</summary>
    public ValueInfoProto[] Inputs { get; }
    /// <summary>True when the graph fixes the batch to 1; <see cref="forward"/> then runs a batch one sample at a time.</summary>
    public bool StaticBatchOfOne { get; }

    /// <summary>The first output for the single graph input x (a batch; split per sample when the graph's batch is fixed to 1).</summary>
    public override Tensor forward(Tensor x)
    {
        if (InputNames.Count != 1)
            throw new AdvexException($"ONNX model {Path} has {InputNames.Count} inputs; a classifier needs exactly one");
        if (!StaticBatchOfOne || x.shape[0] == 1) return Run([x])[0];
        using var scope = NewDisposeScope();
        var parts = x.split(1).Select(sample => Run([sample])[0]).ToList();
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>All graph outputs for the graph inputs (in the graph's order): the general entry point for any graph.</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count != InputNames.Count)
            throw new AdvexException($"ONNX model {Path} takes {InputNames.Count} inputs, got {inputs.Count}");
        using var scope = NewDisposeScope();
        var env = new Dictionary<string, Tensor>();
        foreach (var (name, key) in bufferKeys) env[name] = get_buffer(key)!;
        for (var i = 0; i < inputs.Count; i++) env[InputNames[i]] = inputs[i];
        foreach (var (node, convert) in steps)
        {
            var args = node.Proto.Input.Select(n => n.Length == 0 ? null : env.GetValueOrDefault(n)
                ?? throw new AdvexException($"ONNX model {Path}: node '{node.Name}' reads '{n}', which nothing produces")).ToArray();
            var results = convert(node, args);
            for (var k = 0; k < node.Proto.Output.Count; k++)
            {
                var name = node.Proto.Output[k];
                if (name.Length == 0) continue;
                env[name] = k < results.Length ? results[k] : throw node.Unsupported($"output {k}");
            }
        }
        // alias every output so that a graph input or buffer returned as-is is not moved out of its owner's hands
        var outputs = OutputNames.Select(n => env.GetValueOrDefault(n)?.alias()
            ?? throw new AdvexException($"ONNX model {Path}: nothing produces the graph output '{n}'")).ToArray();
        foreach (var o in outputs) o.MoveToOuterDisposeScope();
        return outputs;
    }

    private void AddBuffer(string name, Tensor value)
    {
        var key = $"t{bufferKeys.Count}";
        register_buffer(key, value);
        bufferKeys[name] = key;
    }

    /// <summary>The nodes in an order where every input is produced before it is read (ONNX requires one; we check).</summary>
    private static List<NodeProto> TopologicalOrder(GraphProto graph, string path)
    {
        var known = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(i => i.Name)).Append("").ToHashSet();
        var pending = graph.Node.ToList();
        var ordered = new List<NodeProto>(pending.Count);
        while (pending.Count > 0)
        {
            var ready = pending.Where(n => n.Input.All(known.Contains)).ToList();
            if (ready.Count == 0)
            {
                var stuck = pending[0];
                throw new AdvexException(
                    $"ONNX model {path}: node '{stuck.Name}' ({stuck.OpType}) reads '{stuck.Input.First(i => !known.Contains(i))}', which nothing produces");
            }
            foreach (var n in ready)
            {
                ordered.Add(n);
                known.UnionWith(n.Output);
                pending.Remove(n);
            }
        }
        return ordered;
    }
}
