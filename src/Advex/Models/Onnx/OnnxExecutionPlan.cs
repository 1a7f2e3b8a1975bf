namespace Advex.Models.Onnx;

using global::Onnx;
using static TorchSharp.torch;

/// <summary>
/// A graph ready to run: every value has a slot in an array (constants first, then graph inputs, then node outputs),
/// every step knows its converter, the slots it reads and writes and the slots whose last reader it is. Built once
/// at load, in time linear in the graph's size and interruptibly: nodes whose inputs are all constant are computed
/// there once (shape arithmetic, masks, index tables), and BatchNormalization is folded into the convolution before
/// it (<see cref="OnnxBatchNormFolding"/>). A forward pass then does no look-up by name and no per-node planning.
/// </summary>
internal sealed class OnnxExecutionPlan : IDisposable
{
    /// <summary>One node to run: <paramref name="Inputs"/> and <paramref name="Outputs"/> are slots (−1: an omitted
    /// input, or an output nobody reads); <paramref name="Release"/> the slots to dispose once it has run.</summary>
    public sealed record Step(OnnxNode Node, OnnxConverter Convert, int[] Inputs, int[] Outputs, int[] Release);

    /// <summary>A value known at load (an initializer, a Constant node or a folded node), held in slot = its index.</summary>
    public sealed class Constant(string name, Tensor value)
    {
        public string Name { get; } = name;
        public Tensor Value { get; internal set; } = value;
    }

    private readonly int slotCount;
    private readonly int[] inputSlots;
    private readonly int[] outputSlots;
    private bool ownsConstants = true;

    private OnnxExecutionPlan(List<Constant> constants, List<Step> steps, int slotCount, string[] inputNames,
        int[] inputSlots, string[] outputNames, int[] outputSlots, string path)
    {
        Constants = constants;
        Steps = steps;
        this.slotCount = slotCount;
        InputNames = inputNames;
        this.inputSlots = inputSlots;
        OutputNames = outputNames;
        this.outputSlots = outputSlots;
        Path = path;
    }

    public IReadOnlyList<Constant> Constants { get; }
    public IReadOnlyList<Step> Steps { get; }
    public string[] InputNames { get; }
    public string[] OutputNames { get; }
    public string Path { get; }

    /// <summary>How many released initializer bytes trigger a collection while loading.</summary>
    private const long ReleaseEvery = 64L << 20;

    /// <param name="releaseInitializers">empty each initializer's data in <paramref name="graph"/> once it is a
    /// tensor, so a large file's weights are not held twice while loading (the graph is then spent)</param>
    public static OnnxExecutionPlan Build(GraphProto graph, int opset, string path, bool foldBatchNorm,
        bool releaseInitializers = false)
    {
        var constants = new Dictionary<string, Tensor>();
        try
        {
            var count = 0;
            long released = 0;
            foreach (var init in graph.Initializer)
            {
                OnnxGraphOrder.Checkpoint(count++, path);
                constants[init.Name] = OnnxTensors.ToTensor(init, $"ONNX model {path}");
                if (!releaseInitializers) continue;
                released += init.RawData.Length;
                init.RawData = Google.Protobuf.ByteString.Empty;
                if (released < ReleaseEvery) continue;
                // the copies just emptied are large-object-heap arrays: only a full collection frees them, and only an
                // aggressive one gives their pages back at once (otherwise the process peaks with both copies)
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                released = 0;
            }
            var nodes = new List<(OnnxNode Node, OnnxConverter Convert)>();
            foreach (var (proto, index) in OnnxGraphOrder.Sort(graph, path))
            {
                OnnxGraphOrder.Checkpoint(count++, path);
                var node = new OnnxNode(proto, index, opset, path);
                var entry = OnnxOps.For(node);
                if (node.OpType == "Constant")
                    constants[proto.Output[0]] = entry.Convert(node, [])[0];
                else if (proto.Input.All(i => i.Length == 0 || constants.ContainsKey(i)) && proto.Output.Count > 0)
                    Fold(node, entry.Convert, constants);
                else
                    nodes.Add((node, entry.Convert));
            }
            if (foldBatchNorm) OnnxBatchNormFolding.Apply(nodes, constants, graph.Output.Select(o => o.Name).ToHashSet(), path);
            return Assign(graph, nodes, constants, path);
        }
        catch
        {
            foreach (var t in constants.Values) t.Dispose();
            throw;
        }
    }

    /// <summary>Runs a node whose inputs are all constant once, now; its outputs become constants.</summary>
    private static void Fold(OnnxNode node, OnnxConverter convert, Dictionary<string, Tensor> constants)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var args = node.Proto.Input.Select(i => i.Length == 0 ? null : constants[i]).ToArray();
        var results = convert(node, args);
        for (var k = 0; k < node.Proto.Output.Count; k++)
        {
            var name = node.Proto.Output[k];
            if (name.Length == 0) continue;
            if (k >= results.Length) throw node.Unsupported($"output {k}");
            // a fresh handle, detached from the scope, even when the converter returned a view of its input
            constants[name] = results[k].alias().DetachFromDisposeScope();
        }
    }

    /// <summary>Slots for every value, and for each step the slots whose last reader it is.</summary>
    private static OnnxExecutionPlan Assign(GraphProto graph, List<(OnnxNode Node, OnnxConverter Convert)> nodes,
        Dictionary<string, Tensor> constants, string path)
    {
        var outputNames = graph.Output.Select(o => o.Name).ToArray();
        // only the constants something still reads (folding and BatchNorm folding leave many unread)
        var read = nodes.SelectMany(n => n.Node.Proto.Input).Concat(outputNames).ToHashSet();
        var kept = new List<Constant>();
        var slots = new Dictionary<string, int>();
        foreach (var (name, value) in constants)
        {
            if (read.Contains(name) && !slots.ContainsKey(name))
            {
                slots[name] = kept.Count;
                kept.Add(new Constant(name, value));
            }
            else value.Dispose();
        }
        constants.Clear();
        var inputNames = graph.Input.Select(i => i.Name).Where(n => !slots.ContainsKey(n) && !IsInitializer(graph, n)).ToArray();
        var inputSlots = inputNames.Select(n => slots[n] = slots.Count).ToArray();
        var stepSlots = new List<(int[] In, int[] Out)>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            OnnxGraphOrder.Checkpoint(i, path);
            var proto = nodes[i].Node.Proto;
            var inputs = proto.Input.Select(n => n.Length == 0 ? -1 : slots.TryGetValue(n, out var s) ? s
                : throw new AdvexException($"ONNX model {path}: node '{nodes[i].Node.Name}' reads '{n}', which nothing produces")).ToArray();
            var outputs = proto.Output.Select(n => n.Length == 0 || !read.Contains(n) ? -1 : slots[n] = slots.Count).ToArray();
            stepSlots.Add((inputs, outputs));
        }
        var outputSlots = outputNames.Select(n => slots.TryGetValue(n, out var s) ? s
            : throw new AdvexException($"ONNX model {path}: nothing produces the graph output '{n}'")).ToArray();
        // the last step reading each produced slot; graph outputs are never released
        var lastReader = new int[slots.Count];
        Array.Fill(lastReader, -1);
        for (var i = 0; i < stepSlots.Count; i++)
            foreach (var s in stepSlots[i].In)
                if (s >= 0) lastReader[s] = i;
        var firstProduced = kept.Count + inputSlots.Length;
        var release = new List<int>[nodes.Count];
        for (var i = 0; i < nodes.Count; i++) release[i] = [];
        var isOutput = outputSlots.ToHashSet();
        for (var s = firstProduced; s < slots.Count; s++)
            if (!isOutput.Contains(s) && lastReader[s] >= 0) release[lastReader[s]].Add(s);
        var steps = nodes.Select((n, i) => new Step(n.Node, n.Convert, stepSlots[i].In, stepSlots[i].Out, release[i].ToArray())).ToList();
        return new OnnxExecutionPlan(kept, steps, slots.Count, inputNames, inputSlots, outputNames, outputSlots, path);
    }

    private static bool IsInitializer(GraphProto graph, string name) => graph.Initializer.Any(i => i.Name == name);

    /// <summary>The graph outputs for the graph inputs, given the constants' current tensors (the module's buffers).</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> constants, IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        var values = new Tensor?[slotCount];
        for (var i = 0; i < constants.Count; i++) values[i] = constants[i];
        for (var i = 0; i < inputs.Count; i++) values[inputSlots[i]] = inputs[i];
        foreach (var step in Steps)
        {
            var args = new Tensor?[step.Inputs.Length];
            for (var j = 0; j < args.Length; j++) args[j] = step.Inputs[j] < 0 ? null : values[step.Inputs[j]];
            var results = step.Convert(step.Node, args);
            for (var k = 0; k < results.Length; k++)
            {
                var slot = k < step.Outputs.Length ? step.Outputs[k] : -1;
                if (slot < 0)
                {
                    if (Array.IndexOf(args, results[k]) < 0) results[k].Dispose();
                    continue;
                }
                // a converter that hands back an argument itself gets an alias, so that releasing it frees only its own handle
                values[slot] = Array.IndexOf(args, results[k]) >= 0 ? results[k].alias() : results[k];
            }
            for (var k = results.Length; k < step.Outputs.Length; k++)
                if (step.Outputs[k] >= 0) throw step.Node.Unsupported($"output {k}");
            foreach (var s in step.Release)
            {
                values[s]!.Dispose();
                values[s] = null;
            }
        }
        // alias every output so that a graph input or buffer returned as-is is not moved out of its owner's hands
        var outputs = outputSlots.Select(s => values[s]!.alias()).ToArray();
        foreach (var o in outputs) o.MoveToOuterDisposeScope();
        return outputs;
    }

    /// <summary>The constants now belong to someone else (the module, as buffers).</summary>
    public void ForgetConstantValues() => ownsConstants = false;

    public void Dispose()
    {
        if (!ownsConstants) return;
        foreach (var c in Constants) c.Value.Dispose();
        ownsConstants = false;
    }
}
