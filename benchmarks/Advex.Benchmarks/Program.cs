// Throughput of every registered attack on LeNet / MNIST at batch 256, and the machine's fp32 GEMM rate measured in
// the same run, printed as JSON. Compare figures as ratios within one run (e.g. attack img/s per GEMM GFLOP/s).
//   dotnet run --project benchmarks/Advex.Benchmarks -c Release -- [--model <dir>] [--images N] [--json out.json]
//     [--attacks pgd,advgan] [--generator <advgan train folder>]   (advgan runs only when --generator is given)
//     [--training N]   also times one epoch of adversarial training of smallcnn on N MNIST images per method
//   --conv-isa: one convolution per layer shape, time and error against float64 (benchmarks/onednn-isa.sh)
using System.Diagnostics;
using System.Text.Json;
using Advex.Attacks;
using Advex.Data;
using Advex.Defenses;
using Advex.Models;
using Advex.Training;
using static TorchSharp.torch;

var argList = args.ToList();
string? Arg(string name) => argList.IndexOf(name) is var i and >= 0 && i + 1 < argList.Count ? argList[i + 1] : null;
if (Arg("--gradient-step") is { } stepModel)
    return GradientStep.Run(stepModel, Arg("--shape")!.Split(',').Select(long.Parse).ToArray(), int.Parse(Arg("--batch") ?? "2"),
        int.Parse(Arg("--steps") ?? "5"), argList.Contains("--channels-last"));
if (argList.Contains("--conv-isa")) return ConvIsa.Run();
if (Arg("--cascade-parts") is { } partsModel)
    return CascadeParts.Run(partsModel, int.Parse(Arg("--images") ?? "100"), int.Parse(Arg("--steps") ?? "40"),
        argList.Contains("--channels-last"));
var images = int.Parse(Arg("--images") ?? "1024");
const int batch = 256;

using var test = DataSource.Load("mnist", "test");
Classifier model;
if (Arg("--model") is { } path) model = ModelStore.Load(path);
else
{
    using var train = DataSource.Load("mnist", "train");
    model = new Trainer().Train(train, test.Take(1000), new TrainOptions { Epochs = 2, Seed = 0 }).Model;
}

var gemm = GemmGflops();
var results = new List<Dictionary<string, object>>();
var only = Arg("--attacks")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var generator = Arg("--generator");
foreach (var name in AttackRegistry.Names.Order())
{
    if (only != null && !only.Contains(name)) continue;
    if (name == "advgan" && generator is null) continue;
    var attack = AttackRegistry.Create(name, AttackRegistry.IsBounded(name) ? 0.3 : double.PositiveInfinity,
        new AttackSettings { StepSize = name is "pgd" or "bim" ? 0.01 : null, Steps = name == "bim" ? 40 : null,
            Generator = generator });
    var n = attack.IsBounded ? images : Math.Min(images, 512);
    var seconds = Time(model, test, attack, n);
    results.Add(new Dictionary<string, object>
    {
        ["attack"] = name, ["params"] = attack.Params, ["images"] = n, ["seconds"] = Math.Round(seconds, 3),
        ["images_per_second"] = Math.Round(n / seconds, 1),
        ["images_per_second_per_gemm_gflops"] = Math.Round(n / seconds / gemm, 3),
    });
    Console.Error.WriteLine($"{name,-11} {n / seconds,10:F1} img/s");
}

var training = new List<Dictionary<string, object>>();
if (Arg("--training") is { } trainImages)
{
    using var all = DataSource.Load("mnist", "train");
    using var slice = all.Take(int.Parse(trainImages));
    using var few = test.Take(100);
    double? fgsmRs = null;
    foreach (var (method, steps) in new[] { ("fgsm-rs", 1), ("fgsm-ep", 1), ("pgd", 5) })
    {
        var adversarial = new AdversarialTraining(method, 0.3, alpha: method == "pgd" ? null : 0.2, steps: steps,
            earlyStopping: false, heldout: 0);
        using var hardening = new Hardening(adversarial, null, seed: 0);
        var clock = Stopwatch.StartNew();
        hardening.Apply(new Trainer()).Train(slice, few,
            new TrainOptions { Architecture = "smallcnn", Epochs = 1, BatchSize = 100, Seed = 0 }).Model.Dispose();
        var seconds = clock.Elapsed.TotalSeconds;
        fgsmRs ??= seconds;
        training.Add(new Dictionary<string, object>
        {
            ["method"] = method, ["steps"] = steps, ["images"] = slice.Count, ["seconds"] = Math.Round(seconds, 2),
            ["time_vs_fgsm_rs"] = Math.Round(seconds / fgsmRs.Value, 2),
        });
        Console.Error.WriteLine($"train {method,-8} {seconds,8:F1} s ({seconds / fgsmRs.Value:F2}x fgsm-rs)");
    }
}

var output = JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["machine"] = $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}",
    ["threads"] = get_num_threads(),
    ["batch_size"] = batch,
    ["gemm_fp32_gflops"] = Math.Round(gemm, 2),
    ["attacks"] = results,
    ["adversarial_training"] = training,
}, new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(output);
if (Arg("--json") is { } jsonPath) File.WriteAllText(jsonPath, output);
model.Dispose();
return 0;

static double Time(Classifier model, Dataset data, Attack attack, int n)
{
    { // warm-up on one small batch
        using var scope = NewDisposeScope();
        var (x, y) = data.Slice(0, 16);
        attack.Run(model, x, new Untargeted(y));
    }
    var clock = Stopwatch.StartNew();
    using var rng = new Generator(0);
    foreach (var idx in Batching.Sequential(n, batch))
    {
        using var scope = NewDisposeScope();
        var (x, y) = data.Batch(idx);
        attack.Run(model, x, new Untargeted(y), rng);
    }
    return clock.Elapsed.TotalSeconds;
}

static double GemmGflops()
{
    const int size = 1024, reps = 20;
    using var a = randn(size, size);
    using var b = randn(size, size);
    using (var warm = a.matmul(b)) { }
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < reps; i++)
    {
        using var c = a.matmul(b);
    }
    return 2.0 * size * size * size * reps / clock.Elapsed.TotalSeconds / 1e9;
}
