namespace Advex.Tests.Reporting;

using Advex.Attacks.Patch;
using Advex.Attacks.Universal;
using Advex.Models;
using Advex.Validation;
using Advex.Workflows;
using Advex.Evaluation;
using Advex.Reporting;
using Advex.Tests.Support;
using Advex.Training;

/// <summary>Hand-made result files (no model needed) for the report's unit tests.</summary>
internal static class ReportFixtures
{
    public const string HostileName = "<script>alert('x')</script> & \"quotes\"";

    public static EvalReport Eval(string modelPath = "runs/lenet") => new()
    {
        CleanAccuracy = 0.9875,
        Model = new ModelInfo(modelPath, "native", "lenet", 10, [1, 28, 28], null, null),
        Data = new DataInfo("mnist", "test", 800),
        Seed = 7,
        Runs =
        [
            Run("fgsm", 0, 0.9875), Run("fgsm", 0.1, 0.6125), Run("fgsm", 0.3, 0.0437),
            Run("pgd", 0.3, 0.0012),
            Run("cw", null, 0.05) with
            {
                Norm = "l2", RobustAccuracyAtEps = new() { ["1"] = 0.4321, ["2"] = 0.1234 },
            },
        ],
        WorstCase = [new WorstCase(0.3, "linf", 0.0011, ["fgsm", "pgd"])],
        PerClass = Enumerable.Range(0, 10).Select(c => new ClassFigures(c, c == 3 ? HostileName : c.ToString(), 80,
            0.9 + c / 100.0, new Dictionary<string, double> { ["fgsm@0.3"] = 0.01 * c })).ToList(),
        Sanity =
        [
            new SanityCheck("perturbation_within_eps", true, "every bounded perturbation is within ε"),
            new SanityCheck("iterative_at_least_fgsm", false, "pgd leaves 5% > FGSM's 4% at ε=0.3"),
        ],
        Provenance = new Provenance("0.1.0", "0.107.0", "2.10.0", "testbox, 2 cores", 2, "advex eval ...",
            new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)),
    };

    private static RunResult Run(string attack, double? eps, double robust) => new()
    {
        Attack = attack, Norm = "linf", Eps = eps, Params = new Dictionary<string, object>(), RobustAccuracy = robust,
        AttackSuccessRate = 1 - robust, MeanL2 = 1.5, MedianL2 = 1.4, MeanLinf = eps ?? 0.2, MaxLinf = eps ?? 0.4,
        Seconds = 1.25, ImagesPerSecond = 640, Count = 800,
    };

    /// <summary>A run folder with an eval, an optimizer comparison, a training.json, a GAN-like epochs file, a universal
    /// perturbation, a patch and PNGs.</summary>
    public static string RunFolder()
    {
        var dir = Paths.TempDir();
        JsonOutput.Write(Path.Combine(dir, "eval", "eval.json"), Eval());
        JsonOutput.Write(Path.Combine(dir, "optimizers", "optimizers.json"), new OptimizerComparison(3, null, "linf", 15, 1,
        [
            new OptimizerRun("sgd", 0.01, 3, 0.25, 2, 1.9348, 2.3, [3, 2.5, 1.9348], [0.1, 0.2, 0.3], [2, -1, -1, -1]),
            new OptimizerRun("adam", 0.01, 3, 1, 1, 0.0268, 6.9, [3, 0.5, 0.0268], [0.1, 0.8, 0.97], [1, 1, 1, 1]),
        ]));
        var history = Enumerable.Range(1, 3).Select(e => new EpochMetrics(e, 1.0 / e, 0.8 + e / 100.0, 1.1 / e, 0.85 + e / 100.0, 1e-3, 2)).ToList();
        JsonOutput.Write(Path.Combine(dir, "model", "training.json"),
            new TrainingSummary(0.8811, history, [new ClassAccuracy(0, "0", 0.9)], "mnist", new TrainOptions()));
        File.WriteAllText(Path.Combine(dir, "model", "model.json"), "{\"architecture\":\"lenet\"}");
        Directory.CreateDirectory(Path.Combine(dir, "gan"));
        File.WriteAllText(Path.Combine(dir, "gan", "gan.json"),
            "{\"epochs\":[{\"epoch\":1,\"d_loss\":0.7,\"g_loss\":1.2},{\"epoch\":2,\"d_loss\":0.6,\"g_loss\":1.4}]}");
        LinePlot.Save(Path.Combine(dir, "eval", EvalFigures.ExamplesGrid), "grid", "x", "y", [new("a", [0, 1], [0, 1])]);
        LinePlot.Save(Path.Combine(dir, "gan", "samples.png"), "samples", "x", "y", [new("a", [0, 1], [0, 1])]);
        JsonOutput.Write(Path.Combine(dir, "uap", UniversalWorkflow.SummaryFile), new UniversalSummary("sgd", "linf", 0.25, 500, 400,
            [new UniversalPass(1, 0.2, 0.25, 4.1), new UniversalPass(2, 0.4321, 0.25, 5.6789)], 0.4321, 0.4567, 0.99, 0.5375, 0.4625,
            0.25, 5.6789, 3.5, "uap/perturbation.npy"));
        LinePlot.Save(Path.Combine(dir, "uap", UniversalWorkflow.ImageFile), "v", "x", "y", [new("a", [0, 1], [0, 1])]);
        JsonOutput.Write(Path.Combine(dir, "patch", PatchWorkflow.SummaryFile), new PatchSummary(3, [1, 11, 11], 0.4, 0.8, 1.2, 20, 512, 100,
            [new PatchEpoch(1, 2.5, 0.1234), new PatchEpoch(2, 1.25, 0.5678)], 0.7654, 89, 0.0112, 4.2, "patch/patch.npy"));
        LinePlot.Save(Path.Combine(dir, "patch", PatchWorkflow.ImageFile), "patch", "x", "y", [new("a", [0, 1], [0, 1])]);
        LinePlot.Save(Path.Combine(dir, "patch", PatchWorkflow.ExamplesFile), "patched", "x", "y", [new("a", [0, 1], [0, 1])]);
        return dir;
    }
}
