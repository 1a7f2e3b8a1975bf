namespace Advex.Models.Onnx;

using Advex.Native;

using global::Onnx;
using static TorchSharp.torch;

/// <summary>
/// One node of the graph as a converter sees it: its op, name and opset, typed attribute look-ups with the ONNX
/// defaults, and <see cref="Unsupported"/> for anything the converter does not implement.
/// </summary>
public sealed class OnnxNode
{
    private readonly Dictionary<string, AttributeProto> attributes;

    /// <param name="proto">the node</param>
    /// <param name="index">its position in the graph, which names it in messages when it has no name</param>
    /// <param name="opset">the model's default-domain opset</param>
    /// <param name="modelPath">the model file, for messages</param>
    public OnnxNode(NodeProto proto, int index, int opset, string modelPath)
    {
        Proto = proto;
        Index = index;
        Name = proto.Name.Length > 0 ? proto.Name : $"#{index}";
        Opset = opset;
        ModelPath = modelPath;
        attributes = proto.Attribute.ToDictionary(a => a.Name);
    }

    public NodeProto Proto { get; }
    public string OpType => Proto.OpType;
    /// <summary>The node's position in the graph.</summary>
    public int Index { get; }
    /// <summary>The node's name, or #index for an unnamed node.</summary>
    public string Name { get; }
    public int Opset { get; }
    public string ModelPath { get; }
    public IReadOnlyCollection<string> AttributeNames => attributes.Keys;

    /// <summary>How many outputs the graph uses (a trailing optional output with an empty name is not used).</summary>
    public int UsedOutputs => Proto.Output.Count(o => o.Length > 0);

    public bool Has(string name) => attributes.ContainsKey(name);

    public long Int(string name, long fallback) => attributes.TryGetValue(name, out var a) ? a.I : fallback;

    public double Float(string name, double fallback) => attributes.TryGetValue(name, out var a) ? a.F : fallback;

    public string String(string name, string fallback) =>
        attributes.TryGetValue(name, out var a) ? a.S.ToStringUtf8() : fallback;

    public long[]? Ints(string name) => attributes.TryGetValue(name, out var a) ? a.Ints.ToArray() : null;

    public double[]? Floats(string name) =>
        attributes.TryGetValue(name, out var a) ? a.Floats.Select(f => (double)f).ToArray() : null;

    public TensorProto? TensorAttribute(string name) => attributes.TryGetValue(name, out var a) ? a.T : null;

    /// <summary>An OnnxUnsupportedException naming the op, the node, the opset and what is not supported.</summary>
    public OnnxUnsupportedException Unsupported(string what) =>
        new($"ONNX op {OpType} (node '{Name}', opset {Opset}) in {ModelPath}: {what} is not supported");

    /// <summary>A present optional input, or an error naming it.</summary>
    public Tensor Required(Tensor?[] inputs, int index) =>
        index < inputs.Length && inputs[index] is { } t ? t : throw Unsupported($"a missing input {index}");

    /// <summary>The values of a shape-like (integer) tensor.</summary>
    public static long[] Longs(Tensor t) => t.cpu().to_type(ScalarType.Int64).data<long>().ToArray();

    /// <summary>The values of a small tensor (scales, bounds) as doubles.</summary>
    public static double[] Doubles(Tensor t) => t.cpu().to_type(ScalarType.Float64).data<double>().ToArray();

    /// <summary>Below this many bytes <see cref="CheckAllocation"/> does not read the available memory.</summary>
    private const double SmallAllocation = 256 << 20;

    /// <summary>
    /// Refuses a tensor a node would build from a shape it computes (ConstantOfShape, Expand, Tile, Range) when it
    /// would need more memory than the process can still get (8 bytes an element, the widest type held): a hostile
    /// graph must not make the OS kill the process.
    /// </summary>
    /// <param name="factors">the dimensions whose product is the element count</param>
    /// <param name="what">how the message names the tensor (default: its shape)</param>
    public void CheckAllocation(IReadOnlyCollection<long> factors, string? what = null)
    {
        double bytes = 8;
        foreach (var d in factors) bytes *= d;
        if (bytes <= SmallAllocation) return; // no /proc read for what any machine can hold: Expand runs every forward pass
        var available = ProcessMemory.Available() ?? long.MaxValue;
        if (bytes > available)
            throw Unsupported($"{what ?? $"a [{string.Join(",", factors)}] tensor"} ({bytes / (1L << 30):#,0.#} GiB with " +
                              $"8-byte elements, more than the {available / (double)(1L << 30):F1} GiB of memory available)");
    }

    /// <summary>An axis that may be negative (counted from the end), checked against the rank.</summary>
    public long Axis(long axis, long rank)
    {
        var a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw Unsupported($"axis {axis} for a rank-{rank} tensor");
        return a;
    }
}
