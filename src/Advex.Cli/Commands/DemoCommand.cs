namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Diagnostics;
using Advex.Attacks;
using Advex.Evaluation;
using Advex.Training;

/// <summary><c>advex demo</c>: the main job on the embedded MNIST: train LeNet, then the FGSM ε sweep, all outputs
/// in one folder.</summary>
public static class DemoCommand
{
    public static readonly double[] Epsilons = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];

    public static Command Create(Ui ui)
    {
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "runs/demo" };
        var epochs = new Option<int>("--epochs") { Description = "LeNet training epochs", DefaultValueFactory = _ => 5 };
        var seed = Opts.Seed();
        var quiet = Opts.Quiet();
        var cmd = new Command("demo", "Train LeNet on the embedded MNIST and watch FGSM take it apart (table, plot, pictures).")
        {
            outDir, epochs, seed, quiet,
        };
        cmd.SetAction(p =>
        {
            var clock = Stopwatch.StartNew();
            var dir = p.GetValue(outDir)!;
            var options = new TrainOptions { Epochs = p.GetValue(epochs), Seed = p.GetValue(seed) }.Validate();
            var trained = TrainCommand.Run(ui, "mnist", null, null, options, Path.Combine(dir, "model"), false,
                Path.Combine(dir, "training.json"));
            using var model = trained.Model;
            using var test = Opts.LoadData("mnist", "test", null, null);
            var attacks = Epsilons.Select(e => (Attack)new Fgsm(e)).ToList();
            EvalCommand.Run(ui, model, test, attacks,
                new EvalOptions { Seed = options.Seed, Command = "advex demo" }, Path.Combine(dir, "model"),
                Path.Combine(dir, "eval.json"), Path.Combine(dir, "report"));
            ui.Line($"demo finished in {clock.Elapsed.TotalSeconds:F0} s; outputs in {Path.GetFullPath(dir)}");
            return 0;
        });
        return cmd;
    }
}
