// Per-gradient-step time and peak RSS of one model in Advex, for benchmarks/onnx-speed.sh:
//   Advex.Benchmarks --gradient-step MODEL --shape 3,224,224 --batch 2 --steps 5 [--channels-last]
// One step is what a PGD step costs: logits of a batch, the summed cross-entropy, its gradient with respect to the
// input. Prints one JSON line: load seconds, seconds per step (median of the timed steps, after one warm-up step), and
// the process's peak RSS (VmHWM) in MiB.
using System.Diagnostics;
using System.Text.Json;
using Advex.Models;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

internal static class GradientStep
{
    public static int Run(string model, long[] shape, int batch, int steps, bool channelsLast)
    {
        var clock = Stopwatch.StartNew();
        using var classifier = ModelStore.Load(model, null, shape);
        var load = clock.Elapsed.TotalSeconds;
        classifier.MemoryFormat = channelsLast ? MemoryFormat.ChannelsLast : MemoryFormat.Contiguous;
        var x = rand([batch, .. shape], generator: new Generator(0));
        var labels = arange(batch, ScalarType.Int64) % classifier.Classes;
        var times = new List<double>();
        for (var i = 0; i <= steps; i++)
        {
            using var scope = NewDisposeScope();
            clock.Restart();
            using (enable_grad())
            {
                var xr = x.detach().requires_grad_(true);
                var loss = F.cross_entropy(classifier.Logits(xr), labels, reduction: nn.Reduction.Sum);
                autograd.grad([loss], [xr])[0].sum().item<float>();
            }
            if (i > 0) times.Add(clock.Elapsed.TotalSeconds); // the first step warms up
        }
        times.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["load_seconds"] = Math.Round(load, 3),
            ["seconds_per_step"] = Math.Round(times[times.Count / 2], 4),
            ["peak_rss_mib"] = PeakRssMib(),
            ["threads"] = get_num_threads(),
        }));
        return 0;
    }

    private static double PeakRssMib()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:"));
        return Math.Round(double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024, 1);
    }
}
