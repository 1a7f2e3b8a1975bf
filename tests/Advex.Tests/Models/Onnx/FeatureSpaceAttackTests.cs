namespace Advex.Tests.Models.Onnx;

using Advex.Attacks;
using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;
using Advex.Workflows;
using static TorchSharp.torch;

/// <summary>
/// Issue 23, item 5 (seed 003 on a real ImageNet network): the feature-space attack of Sabour et al. (2016) on ML.NET's
/// ImageNet ResNet-18 featurizer (NuGet, restored at build, never committed; see <see cref="MlNetResNet18Tests"/>) and
/// the embedded photos (data/photos), end to end through <see cref="FeatureComparisonWorkflow"/> and the report.
/// </summary>
public sealed class FeatureSpaceAttackTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static string? ModelPath => FeatureExtractor.MlNetResNet18Path();

    private static string PhotosSpec => ImageFolder.Prefix + Path.Combine(Paths.Root, "data", "photos");

    [SkippableFact]
    public void Each_optimizer_moves_the_astronauts_features_toward_chelseas_within_eps_and_the_report_shows_it()
    {
        Skip.If(ModelPath is null, "ML.NET's ResNet18 is not in the NuGet package folder: run dotnet restore");
        using var phi = FeatureExtractor.Load(ModelPath!);
        Assert.True(phi.MlNetPreprocessing);
        Assert.Equal(512, phi.Dimensions);
        using var photos = DataSource.Load(PhotosSpec);
        Assert.False(photos.Labelled);
        Assert.Equal(["astronaut.png", "chelsea.png", "coffee.png", "rocket.png"], photos.SampleNames);

        var dir = Paths.TempDir();
        const double eps = 8 / 255.0;
        var outcome = FeatureComparisonWorkflow.Run(phi, photos, new FeatureComparisonJob
        {
            Source = 0, Guide = 1, Steps = 4, Eps = eps, Lr = 0.002, OutDir = dir, Json = Path.Combine(dir, "features.json"),
        });
        foreach (var r in outcome.Comparison.Optimizers)
        {
            output.WriteLine($"{r.Name}: distance {string.Join(" → ", r.Distance.Select(d => d.ToString("F2")))}, L∞ {r.MaxLinf * 255:F2}/255");
            Assert.Equal(5, r.Distance.Length);
            Assert.True(r.FinalDistance < 0.9 * r.InitialDistance, $"{r.Name}: feature distance {r.InitialDistance} → {r.FinalDistance}");
            Assert.True(r.MaxLinf <= eps + 1e-6, $"{r.Name}: L∞ {r.MaxLinf} above ε {eps}");
        }

        // the attack itself: inside the ball and the box, and the distance it reports is the real one
        using var scope = NewDisposeScope();
        var (x, _) = photos.Batch([0]);
        var (g, _) = photos.Batch([1]);
        Tensor guide;
        using (no_grad()) guide = phi.Features(g);
        var (adv, trace) = new FeatureSpaceAttack(eps, OptimizerKind.Adam, 0.002, 3).Run(phi, x, guide);
        using (no_grad())
        {
            Assert.True((adv - x).abs().max().item<float>() <= eps + 1e-6);
            Assert.True(adv.min().item<float>() >= 0 && adv.max().item<float>() <= 1);
            var distance = (phi.Features(adv) - guide).norm().item<float>();
            Assert.Equal(trace.Distance[^1], distance, 3);
            Assert.Equal(trace.Distance[0], (phi.Features(x) - guide).norm().item<float>(), 3);
        }

        var report = ReportWorkflow.Run([dir], Path.Combine(dir, "report"), "features");
        var html = File.ReadAllText(report.Index);
        Assert.Contains("id=\"features-table\"", html);
        Assert.Contains(FeatureComparisonWorkflow.PhotosFigure, html);
        Assert.Contains(FeatureComparisonWorkflow.DistanceFigure, html);
    }
}
