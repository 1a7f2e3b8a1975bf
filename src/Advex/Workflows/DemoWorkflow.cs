namespace Advex.Workflows;

using System.Diagnostics;
using Advex.Attacks;
using Advex.Data;
using Advex.Defenses;
using Advex.Evaluation;
using Advex.Generative;
using Advex.Models;
using Advex.Training;

/// <summary>
/// <c>advex demo</c> as a library call: the newcomer's path on the embedded MNIST, each step one of the other
/// workflows. Trains LeNet, then runs the FGSM ε sweep; FGSM, PGD, APGD-CE and AutoAttack at ε = 0.3 (with their
/// per-sample worst case); C&amp;W and DeepFool; the optimizer comparison (seed 003); AdvGAN (train a generator,
/// then attack with it); PGD adversarial training; a small GAN; and writes <c>&lt;out&gt;/report/index.html</c>.
/// See <see cref="DemoPlan"/> for how much work each step does.
/// </summary>
public static class DemoWorkflow
{
    private const int Steps = 9;

    public static DemoOutcome Run(DemoJob job, IProgress<JobProgress>? progress = null, DemoObserver? observer = null)
    {
        var (plan, dir, seed) = (job.Plan, job.OutDir, job.Seed);
        var o = observer ?? new DemoObserver();
        var clock = Stopwatch.StartNew();
        void Step(int i, string what) => JobProgress.Say(progress, "demo", $"[{i}/{Steps}] {what} ({clock.Elapsed.TotalSeconds:F0} s)");

        Step(1, $"train LeNet, {plan.Epochs} epoch(s) on {(plan.TrainLimit is { } l ? $"the first {l}" : "all")} MNIST training images");
        var options = new TrainOptions { Epochs = plan.Epochs, Seed = seed }.Validate();
        var modelDir = Path.Combine(dir, "model");
        using var trained = Train(new TrainJob { Limit = plan.TrainLimit, Options = options, OutDir = modelDir }, progress, o);
        var model = trained.Model;
        using var test = DataSource.Load("mnist", "test");
        void Eval(Classifier m, string modelPath, int count, IReadOnlyList<Attack> attacks, double[] eps, string report)
        {
            using var data = test.Take(count);
            var evalOptions = new EvalOptions { Seed = seed, Command = job.Command, Eps = eps };
            var outcome = EvalWorkflow.Run(m, data, attacks, evalOptions, modelPath, null, Path.Combine(dir, report), progress);
            o.Evaluated?.Invoke(outcome);
        }

        Step(2, $"FGSM sweep over ε = {string.Join(", ", DemoPlan.Epsilons)} on {Math.Min(plan.FgsmCount, test.Count)} test images");
        Eval(model, modelDir, plan.FgsmCount, DemoPlan.Epsilons.Select(e => (Attack)new Fgsm(e)).ToList(), DemoPlan.Epsilons, "fgsm");

        Step(3, $"FGSM, PGD (40 steps, α 0.01), APGD-CE and AutoAttack at ε = {DemoPlan.StrongEps} on {plan.StrongCount} test images");
        const double eps = DemoPlan.StrongEps;
        Eval(model, modelDir, plan.StrongCount, [new Fgsm(eps), new Pgd(eps, Norm.Linf, 40, 0.01), new Apgd(eps), new AutoAttack(eps)],
            [eps], "pgd-apgd");

        Step(4, $"C&W L2 and DeepFool on {plan.MinimisationCount} test images");
        Eval(model, modelDir, plan.MinimisationCount,
            [new CarliniWagnerL2(plan.CwSteps, plan.CwC, binarySearchSteps: plan.CwBinarySearchSteps), new DeepFool()],
            DemoPlan.L2Radii, "cw-deepfool");

        Step(5, $"optimizer comparison (SGD, RMSprop, Adam) toward class {DemoPlan.OptimizerTarget} on {plan.OptimizerSamples} images");
        var optimizerDir = Path.Combine(dir, "optimizers");
        using (var data = test.Take(plan.OptimizerSamples))
        {
            var comparison = OptimizerComparisonWorkflow.Run(model, data, new OptimizerComparisonJob
            {
                Target = DemoPlan.OptimizerTarget, Steps = plan.OptimizerSteps, Seed = seed, OutDir = optimizerDir,
                Json = Path.Combine(optimizerDir, "optimizers.json"),
            }, progress);
            o.Compared?.Invoke(comparison);
        }

        if (plan.FeatureSteps > 0) Features(plan, dir, progress, o);

        Step(6, $"AdvGAN: a generator trained against LeNet ({plan.AdvGanEpochs} epoch(s) on {plan.AdvGanTrainLimit} images), then one forward pass per attack");
        var advgan = new AdvGanJob
        {
            Target = modelDir, Limit = plan.AdvGanTrainLimit, Options = new AdvGanOptions { Epochs = plan.AdvGanEpochs, Seed = seed },
            OutDir = Path.Combine(dir, "advgan"),
        };
        var advganSummary = AdvGanWorkflow.Run(model, advgan, progress);
        o.AdvGanTrained?.Invoke(advgan, advganSummary);
        Eval(model, modelDir, plan.StrongCount, [AttackRegistry.Create("advgan", eps, new AttackSettings { Generator = advgan.OutDir })],
            [eps], "advgan-eval");

        Step(7, $"adversarial training: PGD-AT LeNet (ε {eps}, 5 steps), {plan.HardenEpochs} epoch(s) on {plan.HardenTrainLimit} images, then FGSM and PGD-40 against it");
        var hardenedDir = Path.Combine(dir, "hardened");
        using (var hardened = Train(new TrainJob
               {
                   Limit = plan.HardenTrainLimit, Options = options with { Epochs = plan.HardenEpochs }, OutDir = hardenedDir,
                   Adversarial = new AdversarialTraining("pgd", eps, steps: 5, heldout: 500),
               }, progress, o))
            Eval(hardened.Model, hardenedDir, plan.StrongCount, [new Fgsm(eps), new Pgd(eps, Norm.Linf, 40, 0.01)], [eps], "hardened-eval");

        Step(8, $"GAN: a small DCGAN for {plan.GanEpochs} epoch(s) on {plan.GanTrainLimit} images, scored by the LeNet (MNIST-IS)");
        var gan = new GanJob
        {
            Limit = plan.GanTrainLimit, Scorer = modelDir, OutDir = Path.Combine(dir, "gan"),
            Options = new GanOptions { Architecture = "dcgan-small", Epochs = plan.GanEpochs, Seed = seed, ScoreSamples = 2_000 },
        };
        var ganSummary = GanWorkflow.Run(gan, progress);
        o.GanTrained?.Invoke(gan, ganSummary);

        Step(9, "HTML report");
        var report = ReportWorkflow.Run([dir], Path.Combine(dir, "report"), "Advex demo: LeNet on MNIST");
        o.Reported?.Invoke(report);
        return new DemoOutcome(report.Index, Path.GetFullPath(dir), clock.Elapsed.TotalSeconds);
    }

    /// <summary>Seed 003 on a real network: the feature-space attack on ML.NET's ImageNet ResNet-18, when restore has
    /// put it in the NuGet package folder (else the step says so and is skipped).</summary>
    private static void Features(DemoPlan plan, string dir, IProgress<JobProgress>? progress, DemoObserver o)
    {
        const string stage = "demo";
        if (FeatureExtractor.MlNetResNet18Path() is not { } path)
        {
            JobProgress.Say(progress, stage, "      feature-space attack skipped: ML.NET's ResNet-18 (NuGet Microsoft.ML.DnnImageFeaturizer.ResNet18 " +
                "0.23.1) is not in the NuGet package folder; dotnet restore of Advex.Cli puts it there");
            return;
        }
        JobProgress.Say(progress, stage, $"      feature-space attack (SGD, RMSprop, Adam, {plan.FeatureSteps} steps) on ML.NET's ImageNet ResNet-18");
        using var phi = FeatureExtractor.Load(path);
        using var photos = DataSource.Load(ImageFolder.Prefix + Photos.EmbeddedDir());
        var features = Path.Combine(dir, "features");
        var outcome = FeatureComparisonWorkflow.Run(phi, photos, new FeatureComparisonJob
        {
            Source = DemoPlan.FeatureSource, Guide = DemoPlan.FeatureGuide, Steps = plan.FeatureSteps, Eps = DemoPlan.FeatureEps,
            Lr = DemoPlan.FeatureLr, OutDir = features, Json = Path.Combine(features, "features.json"),
        }, progress);
        o.FeaturesCompared?.Invoke(outcome);
    }

    private static TrainOutcome Train(TrainJob job, IProgress<JobProgress>? progress, DemoObserver observer)
    {
        var outcome = TrainWorkflow.Run(job, progress);
        observer.Trained?.Invoke(outcome);
        return outcome;
    }
}
