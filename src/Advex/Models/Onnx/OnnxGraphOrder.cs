namespace Advex.Models.Onnx;

using global::Onnx;

/// <summary>
/// The graph's nodes in an order where every input is produced before it is read (ONNX requires one; we check), in
/// time linear in the graph's size (Kahn's algorithm, a ready queue in the graph's own order), and interruptible:
/// a SIGINT/SIGTERM request stops it between nodes.
/// </summary>
internal static class OnnxGraphOrder
{
    /// <summary>How many nodes are handled between two looks at <see cref="Interruption"/>.</summary>
    public const int InterruptionStride = 1024;

    /// <returns>the nodes with their index in the graph (which names an unnamed node), in execution order</returns>
    public static List<(NodeProto Node, int Index)> Sort(GraphProto graph, string path)
    {
        var known = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(i => i.Name)).Append("").ToHashSet();
        var nodes = graph.Node;
        var missing = new int[nodes.Count]; // inputs not yet produced
        var readers = new Dictionary<string, List<int>>();
        var ready = new Queue<int>();
        for (var i = 0; i < nodes.Count; i++)
        {
            Checkpoint(i, path);
            foreach (var input in nodes[i].Input.Distinct())
            {
                if (known.Contains(input)) continue;
                missing[i]++;
                if (!readers.TryGetValue(input, out var list)) readers[input] = list = [];
                list.Add(i);
            }
            if (missing[i] == 0) ready.Enqueue(i);
        }
        var ordered = new List<(NodeProto, int)>(nodes.Count);
        var produced = new HashSet<string>();
        while (ready.Count > 0)
        {
            Checkpoint(ordered.Count, path);
            var i = ready.Dequeue();
            ordered.Add((nodes[i], i));
            foreach (var output in nodes[i].Output)
            {
                if (output.Length == 0 || known.Contains(output) || !produced.Add(output)) continue;
                if (!readers.TryGetValue(output, out var list)) continue;
                foreach (var reader in list)
                    if (--missing[reader] == 0) ready.Enqueue(reader);
            }
        }
        if (ordered.Count < nodes.Count)
        {
            var stuck = Enumerable.Range(0, nodes.Count).First(i => missing[i] > 0);
            var node = nodes[stuck];
            var input = node.Input.First(n => !known.Contains(n) && !produced.Contains(n));
            throw new AdvexException($"ONNX model {path}: node '{(node.Name.Length > 0 ? node.Name : $"#{stuck}")}' ({node.OpType}) reads '{input}', " +
                (produced.Contains(input) || nodes.Any(n => n.Output.Contains(input)) ? "which is produced in a cycle" : "which nothing produces"));
        }
        return ordered;
    }

    /// <summary>Stops a long load when SIGINT/SIGTERM was requested (checked every <see cref="InterruptionStride"/> nodes).</summary>
    public static void Checkpoint(int count, string path)
    {
        if (count % InterruptionStride == 0) Interruption.ThrowIfRequested(() => $"while loading ONNX model {path}");
    }
}
