namespace Advex.Tests.Models.Onnx;

using Advex.Models.Onnx;
using global::Onnx;
using static TorchSharp.torch;

/// <summary>
/// Runs one ONNX backend test case (a folder with model.onnx and test_data_set_*/input_*.pb, output_*.pb) through
/// <see cref="OnnxGraphModule.Run"/> and compares every output with |actual − expected| ≤ 1e-4 + 1e-4·|expected|.
/// </summary>
public static class BackendCase
{
    public enum Outcome { Passed, Unsupported, Failed }

    public const double Tolerance = 1e-4;

    public static (Outcome Outcome, string Detail) Run(string caseDir)
    {
        OnnxGraphModule module;
        ModelProto graph;
        try
        {
            graph = OnnxFile.Read(Path.Combine(caseDir, "model.onnx"));
            module = new OnnxGraphModule(graph, Path.Combine(caseDir, "model.onnx"));
        }
        catch (OnnxUnsupportedException e)
        {
            return (Outcome.Unsupported, e.Message);
        }
        catch (Exception e)
        {
            return (Outcome.Failed, $"load: {e.Message.Split('\n')[0]}");
        }
        using (module)
        {
            foreach (var set in Directory.GetDirectories(caseDir, "test_data_set_*").Order(StringComparer.Ordinal))
            {
                using var scope = NewDisposeScope();
                try
                {
                    var inputs = Numbered(set, "input").Select((p, i) => Load(p, graph.Graph.Input.Where(v => module.InputNames.Contains(v.Name)).ElementAtOrDefault(i))).ToArray();
                    var expected = Numbered(set, "output").Select((p, i) => Load(p, graph.Graph.Output.ElementAtOrDefault(i))).ToArray();
                    Tensor[] actual;
                    using (no_grad()) actual = module.Run(inputs);
                    if (actual.Length < expected.Length) return (Outcome.Failed, $"{set}: {actual.Length} outputs, expected {expected.Length}");
                    for (var i = 0; i < expected.Length; i++)
                        if (Mismatch(actual[i], expected[i]) is { } why) return (Outcome.Failed, $"{Path.GetFileName(set)} output {i}: {why}");
                }
                catch (OnnxUnsupportedException e)
                {
                    return (Outcome.Unsupported, e.Message);
                }
                catch (Exception e)
                {
                    return (Outcome.Failed, $"{Path.GetFileName(set)}: {e.Message.Split('\n')[0]}");
                }
            }
        }
        return (Outcome.Passed, "");
    }

    /// <summary>
    /// A test tensor. ONNX stores bfloat16 test data as its uint16 bit patterns (NumPy has no bfloat16), so where the
    /// graph declares bfloat16 the bits are read as bfloat16, as ONNX's own runner hands them to a backend.
    /// </summary>
    private static Tensor Load(string path, ValueInfoProto? declared)
    {
        var t = OnnxFile.ReadTensor(path);
        if (declared?.Type?.TensorType?.ElemType == (int)TensorProto.Types.DataType.Bfloat16 &&
            t.DataType == (int)TensorProto.Types.DataType.Uint16)
            t.DataType = (int)TensorProto.Types.DataType.Bfloat16;
        return OnnxTensors.ToTensor(t, path, keepFloat64: true);
    }

    private static string? Mismatch(Tensor actual, Tensor expected)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
            return $"shape [{string.Join(",", actual.shape)}], expected [{string.Join(",", expected.shape)}]";
        if (expected.numel() == 0) return null;
        var a = actual.to_type(ScalarType.Float64);
        var e = expected.to_type(ScalarType.Float64);
        var same = a.eq(e) | (a.isnan() & e.isnan()); // also equal infinities, whose difference is NaN
        var excess = ((a - e).abs() - (Tolerance + Tolerance * e.abs())).masked_fill(same, -1).nan_to_num(1.0);
        var worst = excess.max().item<double>();
        return worst <= 0 ? null : $"max |difference| exceeds the tolerance by {worst:G3}";
    }

    private static IEnumerable<string> Numbered(string dir, string prefix) =>
        Directory.GetFiles(dir, $"{prefix}_*.pb")
            .OrderBy(p => int.Parse(Path.GetFileNameWithoutExtension(p)[(prefix.Length + 1)..]));
}
