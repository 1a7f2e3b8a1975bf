namespace Advex.Examples;

using Advex.Attacks;
using Advex.Attacks.Patch;
using Advex.Attacks.Universal;
using Advex.Data;
using Advex.Evaluation;
using Advex.Evaluation.Smoothing;
using Advex.Models;
using Advex.Workflows;

/// <summary>
/// `advex certify`, `advex attack --universal` and `advex attack --patch` as library calls: randomized smoothing's
/// certified accuracy against L2 radius, a universal perturbation learned on training images and scored on held-out
/// ones, and a targeted adversarial patch.
/// </summary>
public static class CertifyExample
{
    public static (CertifyReport Certified, UniversalSummary Universal, PatchSummary Patch) Run(string modelPath, string outDir,
        int count = 20, int n = 1000, int trainImages = 500)
    {
        using var model = ModelStore.Load(modelPath);
        using var mnistTest = DataSource.Load("mnist", "test");
        using var test = mnistTest.Take(count);
        using var mnistTrain = DataSource.Load("mnist", "train");
        using var train = mnistTrain.Take(trainImages);

        // CERTIFY (Cohen et al. 2019): σ = 0.25, n0 = 100 selection draws, n estimation draws, α = 0.001
        var certified = CertifyWorkflow.Run(model, test, new CertifyJob
        {
            Smoothing = new SmoothingOptions(0.25, n0: 100, n: n, alpha: 0.001),
            ReportDir = Path.Combine(outDir, "certify"),                  // certify.json + certified_accuracy.png
        }, modelPath).Report;
        foreach (var (radius, accuracy) in certified.CertifiedAccuracy) Console.WriteLine($"certified accuracy at r={radius}: {accuracy:P1}");

        // one L∞ perturbation of ε = 0.2 for every image (Shafahi et al.'s sgd-UAP), saved as perturbation.npy
        var universal = UniversalWorkflow.Run(model, train, test, new UniversalJob
        {
            Options = new UniversalOptions(UniversalMethod.Sgd, eps: 0.2, Norm.Linf, passes: 2),
            OutDir = Path.Combine(outDir, "universal"),
        }, modelPath);
        Console.WriteLine($"universal perturbation fools {universal.FoolingRate:P1} of the held-out images");

        // a patch that turns digits into 3s wherever it lands (Brown et al. 2017)
        var patch = PatchWorkflow.Run(model, train, test, new PatchJob
        {
            Options = new PatchOptions(target: 3, size: 0.4, epochs: 2, lr: 0.1), OutDir = Path.Combine(outDir, "patch"),
        });
        Console.WriteLine($"patch success {patch.SuccessRate:P1} (without it {patch.CleanTargetRate:P1})");
        return (certified, universal, patch);
    }
}
