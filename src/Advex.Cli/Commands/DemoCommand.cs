namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Diagnostics;
using Advex.Attacks;
using Advex.Data;
using Advex.Defenses;
using Advex.Evaluation;
using Advex.Generative;
using Advex.Models;
using Advex.Training;
using Advex.Workflows;

/// <summary>
/// <c>advex demo [--out dir] [--quick]</c>: the newcomer's path on the embedded MNIST. Trains LeNet, then runs the
/// FGSM ε sweep; FGSM, PGD, APGD-CE and AutoAttack at ε = 0.3 (with their per-sample worst case); C&amp;W and DeepFool;
/// the optimizer comparison (seed 003); AdvGAN (train a generator, then attack with it); and writes <c>&lt;out&gt;/report/index.html</c>. See <see cref="DemoPlan"/>.
/// </summary>
public static class DemoCommand
{
    public static Command Create(Ui ui)
    {
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "runs/demo" };
        var quick = new Option<bool>("--quick") { Description = "a first look in under 2 minutes: less training, fewer images" };
        var epochs = new Option<int?>("--epochs") { Description = "LeNet training epochs (default 5, --quick 1)" };
        var seed = Opts.Seed();
        var quiet = Opts.Quiet();
        var cmd = new Command("demo", "Train LeNet on the embedded MNIST, run every attack family against it and write an HTML report.")
        {
            outDir, quick, epochs, seed, quiet,
        };
        cmd.SetAction(p =>
        {
            var plan = p.GetValue(quick) ? DemoPlan.Quick : DemoPlan.Full;
            if (p.GetValue(epochs) is { } e) plan = plan with { Epochs = e };
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
            Run(ui, plan, p.GetValue(outDir)!, p.GetValue(seed), p.GetValue(quick) ? "advex demo --quick" : "advex demo");
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs the whole demo into <paramref name="dir"/>; returns the path of the report's index.html.</summary>
    public static string Run(Ui ui, DemoPlan plan, string dir, int seed, string command)
    {
        var clock = Stopwatch.StartNew();
        const int steps = 9;
        void Step(int i, string what) => ui.Line($"[{i}/{steps}] {what} ({clock.Elapsed.TotalSeconds:F0} s)");

        Step(1, $"train LeNet, {plan.Epochs} epoch(s) on {(plan.TrainLimit is { } l ? $"the first {l}" : "all")} MNIST training images");
        var options = new TrainOptions { Epochs = plan.Epochs, Seed = seed }.Validate();
        var modelDir = Path.Combine(dir, "model");
        using var trained = TrainCommand.Run(ui, new TrainJob { Limit = plan.TrainLimit, Options = options, OutDir = modelDir });
        var model = trained.Model;
        using var test = Opts.LoadData("mnist", "test", null, null);
        EvalOptions Eval(double[] eps) => new() { Seed = seed, Command = command, Eps = eps };

        Step(2, $"FGSM sweep over ε = {string.Join(", ", DemoPlan.Epsilons)} on {Math.Min(plan.FgsmCount, test.Count)} test images");
        WithSubset(test, plan.FgsmCount, data => EvalCommand.Run(ui, model, data,
            DemoPlan.Epsilons.Select(e => (Attack)new Fgsm(e)).ToList(), Eval(DemoPlan.Epsilons), modelDir, null,
            Path.Combine(dir, "fgsm")));

        Step(3, $"FGSM, PGD (40 steps, α 0.01), APGD-CE and AutoAttack at ε = {DemoPlan.StrongEps} on {plan.StrongCount} test images");
        const double eps = DemoPlan.StrongEps;
        WithSubset(test, plan.StrongCount, data => EvalCommand.Run(ui, model, data,
            [new Fgsm(eps), new Pgd(eps, Norm.Linf, 40, 0.01), new Apgd(eps), new AutoAttack(eps)], Eval([eps]), modelDir,
            null, Path.Combine(dir, "pgd-apgd")));

        Step(4, $"C&W L2 and DeepFool on {plan.MinimisationCount} test images");
        WithSubset(test, plan.MinimisationCount, data => EvalCommand.Run(ui, model, data,
            [new CarliniWagnerL2(plan.CwSteps, plan.CwC, binarySearchSteps: plan.CwBinarySearchSteps), new DeepFool()],
            Eval(DemoPlan.L2Radii), modelDir, null, Path.Combine(dir, "cw-deepfool")));

        Step(5, $"optimizer comparison (SGD, RMSprop, Adam) toward class {DemoPlan.OptimizerTarget} on {plan.OptimizerSamples} images");
        TorchSharp.torch.random.manual_seed(seed);
        var optimizerDir = Path.Combine(dir, "optimizers");
        WithSubset(test, plan.OptimizerSamples, data => OptimizersCommand.Run(ui, model, data, DemoPlan.OptimizerTarget,
            [.. new[] { OptimizerKind.Sgd, OptimizerKind.RmsProp, OptimizerKind.Adam }
                .Select(k => new OptimizerAttack(double.PositiveInfinity, k, 0.01, plan.OptimizerSteps))],
            optimizerDir, Path.Combine(optimizerDir, "optimizers.json")));

        Step(6, $"AdvGAN: a generator trained against LeNet ({plan.AdvGanEpochs} epoch(s) on {plan.AdvGanTrainLimit} images), then one forward pass per attack");
        var advganDir = Path.Combine(dir, "advgan");
        AdvGanCommand.Run(ui, model, modelDir, "mnist", null, plan.AdvGanTrainLimit,
            new AdvGanOptions { Epochs = plan.AdvGanEpochs, Seed = seed }, advganDir, false, null);
        WithSubset(test, plan.StrongCount, data => EvalCommand.Run(ui, model, data,
            [AttackRegistry.Create("advgan", eps, new AttackSettings { Generator = advganDir })], Eval([eps]), modelDir,
            null, Path.Combine(dir, "advgan-eval")));

        Step(7, $"adversarial training: PGD-AT LeNet (ε {eps}, 5 steps), {plan.HardenEpochs} epoch(s) on {plan.HardenTrainLimit} images, then FGSM and PGD-40 against it");
        var hardenedDir = Path.Combine(dir, "hardened");
        using (var hardened = TrainCommand.Run(ui, new TrainJob
               {
                   Limit = plan.HardenTrainLimit, Options = options with { Epochs = plan.HardenEpochs }, OutDir = hardenedDir,
                   Adversarial = new AdversarialTraining("pgd", eps, steps: 5, heldout: 500),
               }))
            WithSubset(test, plan.StrongCount, data => EvalCommand.Run(ui, hardened.Model, data,
                [new Fgsm(eps), new Pgd(eps, Norm.Linf, 40, 0.01)], Eval([eps]), hardenedDir, null,
                Path.Combine(dir, "hardened-eval")));

        Step(8, $"GAN: a small DCGAN for {plan.GanEpochs} epoch(s) on {plan.GanTrainLimit} images, scored by the LeNet (MNIST-IS)");
        GanCommand.Run(ui, "mnist", null, plan.GanTrainLimit,
            new GanOptions { Architecture = "dcgan-small", Epochs = plan.GanEpochs, Seed = seed, ScoreSamples = 2_000 },
            Path.Combine(dir, "gan"), false, modelDir, null);

        Step(9, "HTML report");
        var index = ReportCommand.Run(ui, [dir], Path.Combine(dir, "report"), "Advex demo: LeNet on MNIST");
        ui.Line($"demo finished in {clock.Elapsed.TotalSeconds:F0} s; outputs in {Path.GetFullPath(dir)}");
        ui.Line($"open the report: {index}");
        return index;
    }

    private static void WithSubset<T>(Dataset test, int count, Func<Dataset, T> work)
    {
        var data = test.Take(count);
        try
        {
            work(data);
        }
        finally
        {
            if (!ReferenceEquals(data, test)) data.Dispose();
        }
    }
}
