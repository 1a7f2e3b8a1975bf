namespace Advex.Tests.Models.Onnx;

using System.Text.Json;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>The committed CNN fixture (tests/fixtures/onnx, made by scripts/make_onnx_fixtures.py) and its references.</summary>
public static class OnnxFixture
{
    public static string Dir => Path.Combine(Paths.Fixtures, "onnx");
    public static string OnnxPath => Path.Combine(Dir, "cnn.onnx");
    public static string TorchScriptPath => Path.Combine(Dir, "cnn.pt");

    public static JsonElement Expected { get; } =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json"))).RootElement;

    public static long[] InputShape => Expected.GetProperty("input_shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
    public static int Samples => Expected.GetProperty("samples").GetInt32();

    public static Normalization Normalization => new(Doubles("mean"), Doubles("std"));

    public static Tensor Inputs() => Floats("inputs.bin");

    public static Tensor InputGradients() => Floats("input_grads.bin");

    public static Tensor Labels() => tensor(Expected.GetProperty("labels").EnumerateArray().Select(v => v.GetInt64()).ToArray());

    public static Tensor Logits() => tensor(Expected.GetProperty("logits").EnumerateArray()
        .SelectMany(r => r.EnumerateArray().Select(v => v.GetSingle())).ToArray()).reshape(Samples, -1);

    /// <summary>max(|a − b| − (abs + rel·|b|)): at most 0 when a matches b within the tolerance.</summary>
    public static double Excess(Tensor a, Tensor b, double abs, double rel)
    {
        using var scope = NewDisposeScope();
        var a64 = a.detach().to_type(ScalarType.Float64);
        var b64 = b.detach().to_type(ScalarType.Float64);
        return ((a64 - b64).abs() - (abs + rel * b64.abs())).max().item<double>();
    }

    private static double[] Doubles(string name) => Expected.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static Tensor Floats(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, file));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return tensor(values).reshape([Samples, .. InputShape]);
    }
}
