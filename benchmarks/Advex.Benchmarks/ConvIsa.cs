// What oneDNN's ISA cap costs and buys, one convolution at a time, for benchmarks/onednn-isa.sh:
//   DNNL_MAX_CPU_ISA=SSE41|AVX2|ALL Advex.Benchmarks --conv-isa
// For each shape (the layers of the networks Advex evaluates), one forward pass and the gradients with respect to the
// input and the weight, in float32 through libtorch's conv2d (oneDNN at the ISA the environment allows): the time of
// the three (median of 3 after a warm-up) and each result's relative L1 error against the same computation in float64
// (which libtorch runs without oneDNN). Prints one JSON line per shape.
using System.Diagnostics;
using System.Text.Json;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

internal static class ConvIsa
{
    private sealed record Shape(string Name, int Batch, int InChannels, int Size, int OutChannels, int Kernel, int Stride, int Padding);

    private static readonly Shape[] Shapes =
    [
        new("lenet conv1", 100, 1, 28, 6, 5, 1, 2), new("lenet conv2", 100, 6, 14, 16, 5, 1, 0),
        new("smallcnn conv1", 100, 1, 28, 32, 5, 1, 2), new("smallcnn conv2", 100, 32, 14, 64, 5, 1, 2),
        new("wongnet conv1", 100, 1, 28, 16, 4, 2, 1), new("wongnet conv2", 100, 16, 14, 32, 4, 2, 1),
        new("cifar resnet18 stem", 32, 3, 32, 64, 3, 1, 1), new("cifar resnet18 layer1", 32, 64, 32, 64, 3, 1, 1),
        new("cifar resnet18 layer3", 32, 256, 8, 256, 3, 1, 1), new("resnet50 stem", 8, 3, 224, 64, 7, 2, 3),
        new("resnet50 1x1", 8, 256, 56, 64, 1, 1, 0), new("resnet50 3x3", 8, 64, 56, 64, 3, 1, 1),
    ];

    public static int Run()
    {
        foreach (var s in Shapes)
        {
            using var scope = NewDisposeScope();
            using var gen = new Generator(0);
            var x = randn([s.Batch, s.InChannels, s.Size, s.Size], generator: gen);
            var w = randn([s.OutChannels, s.InChannels, s.Kernel, s.Kernel], generator: gen) / Math.Sqrt(s.InChannels * s.Kernel * s.Kernel);
            var reference = Step(x.to(float64), w.to(float64), s);
            var result = Step(x, w, s); // warm-up, and the result compared
            var times = new List<double>();
            for (var i = 0; i < 3; i++)
            {
                using var inner = NewDisposeScope();
                var clock = Stopwatch.StartNew();
                Step(x, w, s);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["shape"] = s.Name,
                ["input"] = new[] { s.Batch, s.InChannels, s.Size, s.Size },
                ["weight"] = new[] { s.OutChannels, s.InChannels, s.Kernel, s.Kernel },
                ["stride"] = s.Stride, ["padding"] = s.Padding,
                ["ms_forward_and_both_gradients"] = Math.Round(times[1], 1),
                ["error_output"] = Error(result.Y, reference.Y),
                ["error_input_gradient"] = Error(result.Gx, reference.Gx),
                ["error_weight_gradient"] = Error(result.Gw, reference.Gw),
            }));
        }
        return 0;
    }

    private static (Tensor Y, Tensor Gx, Tensor Gw) Step(Tensor x, Tensor w, Shape s)
    {
        using var _ = enable_grad();
        var xr = x.detach().requires_grad_(true);
        var wr = w.detach().requires_grad_(true);
        var y = F.conv2d(xr, wr, null, [s.Stride, s.Stride], [s.Padding, s.Padding]);
        var grads = autograd.grad([(y * y).sum()], [xr, wr]);
        return (y.detach(), grads[0], grads[1]);
    }

    /// <summary>sum |a − r| / sum |r|, in float64.</summary>
    private static double Error(Tensor a, Tensor r) =>
        double.Parse(((a.to(float64) - r).abs().sum() / r.abs().sum()).item<double>().ToString("G3"));
}
