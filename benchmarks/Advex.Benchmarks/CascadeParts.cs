// What one step of each standard AutoAttack stage costs per image, next to the model's own forward and gradient:
//   Advex.Benchmarks --cascade-parts MODEL [--images 100] [--steps 40] [--channels-last]
// On the first N MNIST test images (one batch), with an ε so small (0.01) that no sample leaves early: a forward, a
// gradient (forward + backward of the summed cross-entropy), an APGD-T step (targeted DLR toward the 2nd class), a
// FAB-T step (one gradient and one forward, toward the 2nd class) and a Square query (one forward). Prints one JSON
// line of CPU milliseconds per image and step (the process's CPU time, so a shared machine's time slicing does not
// count; cache contention still does): a stage's overhead is its figure minus the model's passes it runs.
using System.Diagnostics;
using System.Text.Json;
using Advex.Attacks;
using Advex.Data;
using Advex.Models;
using static TorchSharp.torch;

internal static class CascadeParts
{
    public static int Run(string modelPath, int images, int steps, bool channelsLast)
    {
        using var model = ModelStore.Load(modelPath);
        model.MemoryFormat = channelsLast ? MemoryFormat.ChannelsLast : MemoryFormat.Contiguous;
        using var test = DataSource.Load("mnist", "test");
        var (x, y) = test.Slice(0, images);
        Tensor second;
        using (no_grad()) second = model.Logits(x).argsort(1, descending: true)[.., 1];
        var toward = new UntargetedToward(y, second);
        const double eps = 0.01;
        double PerImageStep(Action body, int count)
        {
            body(); // warm-up
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            body();
            return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / count / images;
        }
        var forward = PerImageStep(() =>
        {
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                model.Logits(x);
            }
        }, steps);
        var gradient = PerImageStep(() =>
        {
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                Advex.Attacks.Core.Gradients.Of(model, x, z => nn.functional.cross_entropy(z, y, reduction: nn.Reduction.Sum));
            }
        }, steps);
        var apgdT = PerImageStep(() => new Apgd(eps, Norm.Linf, ApgdLoss.Dlr, steps, earlyStop: true).Run(model, x, toward), steps);
        var fabT = PerImageStep(() => new Fab(eps, Norm.Linf, steps, earlyStop: true).Run(model, x, toward), steps);
        var square = PerImageStep(() => new Square(eps, steps * 5).Run(model, x, new Untargeted(y)), steps * 5);
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["images"] = images, ["steps"] = steps, ["threads"] = get_num_threads(),
            ["memory_format"] = channelsLast ? "channels-last" : "contiguous",
            ["cpu_ms_per_image"] = new Dictionary<string, double>
            {
                ["forward"] = Math.Round(forward, 4), ["gradient"] = Math.Round(gradient, 4),
                ["apgd_t_step"] = Math.Round(apgdT, 4), ["fab_t_step"] = Math.Round(fabT, 4),
                ["square_query"] = Math.Round(square, 4),
            },
        }));
        return 0;
    }
}
