namespace Advex.Tests.Docs;

using System.Text.Json;
using Advex.Examples;
using Advex.Tests.Support;
using Advex.Workflows;

/// <summary>One LeNet trained by <see cref="TrainExample"/>, shared by the job examples that need a model.</summary>
public sealed class ExampleModel : IDisposable
{
    public ExampleModel()
    {
        using var _ = new SingleThread();
        Dir = Paths.TempDir();
        Summary = TrainExample.Run(Dir);
    }

    public string Dir { get; }
    public TrainingSummary Summary { get; }

    public void Dispose() { }
}

/// <summary>
/// Every job in docs/examples/ (one short program per CLI job, compiled into this project) run on small settings,
/// each checked for a property that matters: the figures its JSON holds and the files it writes.
/// </summary>
public sealed class JobExampleTests(ExampleModel trained) : IClassFixture<ExampleModel>
{
    [Fact]
    public void Train_example_writes_the_model_and_a_training_json_equal_to_its_summary()
    {
        // 1 epoch on 4,000 images: far above chance (0.1), far from converged
        Assert.True(trained.Summary.TestAccuracy > 0.5, $"test accuracy {trained.Summary.TestAccuracy}");
        Assert.Single(trained.Summary.Epochs);
        Assert.Equal(10, trained.Summary.PerClass.Count);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(trained.Dir, "training.json"))).RootElement;
        Assert.Equal(trained.Summary.TestAccuracy, json.GetProperty("test_accuracy").GetDouble());
        Assert.True(File.Exists(Path.Combine(trained.Dir, "model.json")));
    }

    [Fact]
    public void TorchScript_sweep_example_gives_one_run_per_attack_and_eps_and_accuracy_falls_with_eps()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var report = TorchScriptSweepExample.Run(Path.Combine(Paths.TorchScript, "lenet.pt"), Paths.IdxSmall, dir);
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.TorchScript, "expected.json"))).RootElement;
        Assert.Equal(expected.GetProperty("idx-small").GetProperty("lenet_t10k_correct").GetInt32() / 200.0, report.CleanAccuracy, 12);
        Assert.Equal(8, report.Runs.Count);
        foreach (var attack in new[] { "fgsm", "pgd" })
        {
            var runs = report.Runs.Where(r => r.Attack == attack).OrderBy(r => r.Eps).ToList();
            Assert.Equal(report.CleanAccuracy, runs[0].RobustAccuracy);
            for (var i = 1; i < runs.Count; i++) Assert.True(runs[i].RobustAccuracy <= runs[i - 1].RobustAccuracy, $"{attack} rises with ε");
        }
        Assert.True(File.Exists(Path.Combine(dir, "eval.json")));
        Assert.True(new FileInfo(Path.Combine(dir, "accuracy_vs_eps.png")).Length > 1000);
    }

    [Fact]
    public void Attack_export_example_writes_adversarial_images_inside_the_eps_ball()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var report = AttackExportExample.Run(Path.Combine(Paths.TorchScript, "lenet.pt"), Paths.IdxSmall, dir);
        Assert.True(report.Runs[0].MaxLinf <= 0.1 + 1e-5, $"max L∞ {report.Runs[0].MaxLinf}");
        Assert.True(report.Runs[0].RobustAccuracy < report.CleanAccuracy);
        foreach (var f in new[] { AttackWorkflow.ImagesFile, AttackWorkflow.LabelsFile, AttackWorkflow.PredictionsFile, AttackWorkflow.GridFile, AttackWorkflow.SummaryFile })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
    }

    [Fact]
    public void Optimizers_example_compares_three_optimizers_on_the_samples_not_labelled_with_the_target()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var outcome = OptimizersExample.Run(trained.Dir, dir);
        var c = outcome.Comparison;
        Assert.Equal(["sgd", "rmsprop", "adam"], c.Optimizers.Select(r => r.Name));
        Assert.Equal(8, c.Samples + c.Skipped);
        Assert.All(c.Optimizers, r => Assert.Equal(21, r.Loss.Length));
        Assert.Equal(3, outcome.Written.Count);
        Assert.All(outcome.Written, f => Assert.True(File.Exists(f), f));
    }

    [Fact]
    public void AdvGan_example_trains_a_generator_whose_attack_stays_inside_eps()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var (training, attack) = AdvGanExample.Run(trained.Dir, dir);
        Assert.Single(training.Epochs);
        Assert.True(File.Exists(training.Generator), training.Generator);
        Assert.True(File.Exists(Path.Combine(dir, AdvGanWorkflow.SummaryFile)));
        Assert.True(attack.Runs[0].MaxLinf <= 0.3 + 1e-5, $"max L∞ {attack.Runs[0].MaxLinf}");
        Assert.True(attack.Runs[0].RobustAccuracy <= attack.CleanAccuracy);
    }

    [Fact]
    public void Gan_example_scores_its_samples_with_the_given_classifier()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var summary = GanExample.Run(trained.Dir, dir);
        Assert.Single(summary.Epochs);
        Assert.NotNull(summary.InceptionScore);
        Assert.InRange(summary.InceptionScore!.Value, 1, 10);
        Assert.False(Directory.Exists(Path.Combine(dir, GanWorkflow.ScorerDir)), "the given scorer is used, none trained");
        Assert.True(File.Exists(Path.Combine(dir, GanWorkflow.SummaryFile)));
    }

    [Fact]
    public void Report_example_collects_the_training_run_into_an_html_page()
    {
        var dir = Paths.TempDir();
        var outcome = ReportExample.Run([trained.Dir], dir);
        Assert.Equal(Path.Combine(dir, "index.html"), outcome.Index);
        Assert.True(outcome.Trainings >= 1, $"{outcome.Trainings} training runs");
        Assert.Contains("My robustness report", File.ReadAllText(outcome.Index));
    }

    [Fact]
    public void Text_study_example_reports_the_mean_and_sd_of_its_two_seeds()
    {
        var dir = Paths.TempDir();
        var summary = TextStudyExample.Run(dir);
        Assert.Equal([1, 2], summary.Seeds);
        var test = summary.Runs.Select(r => r.TestAccuracy).ToArray();
        Assert.Equal(test.Average(), summary.TestAccuracy, 12);
        Assert.Equal(Math.Abs(test[0] - test[1]) / Math.Sqrt(2), summary.TestAccuracySd, 12);
        foreach (var s in new[] { 1, 2 }) Assert.True(File.Exists(Path.Combine(dir, $"seed-{s}", "training.json")));
    }

    [Fact]
    public void Demo_example_runs_every_step_and_writes_the_report()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var tiny = new DemoPlan(1, 1_000, 100, 20, 10, 5, 1, 0.1, 4, 5, 1, 500, 1, 1_000, 1, 500);
        var demo = DemoExample.Run(dir, tiny);
        Assert.Equal(Path.Combine(Path.GetFullPath(dir), "report", "index.html"), demo.Index);
        foreach (var step in new[] { "model", "fgsm", "pgd-apgd", "cw-deepfool", "optimizers", "advgan", "advgan-eval", "hardened", "hardened-eval", "gan" })
            Assert.True(Directory.Exists(Path.Combine(dir, step)), step);
    }
}

/// <summary>docs/examples/CertifyExample.cs on small settings: every figure it prints is one its files hold.</summary>
public sealed class CertifyExampleTests
{
    [Fact]
    public void Certify_universal_and_patch_example_writes_its_figures_and_files()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var (certified, universal, patch) = Advex.Examples.CertifyExample.Run(Path.Combine(Paths.TorchScript, "lenet.pt"), dir,
            count: 8, n: 200, trainImages: 200);
        Assert.Equal(8, certified.Samples.Count);
        Assert.InRange(certified.CertifiedAccuracy["0"], 0.5, 1.0);
        Assert.True(File.Exists(Path.Combine(dir, "certify", "certified_accuracy.png")));
        Assert.True(File.Exists(Path.Combine(dir, "universal", UniversalWorkflow.PerturbationFile)));
        Assert.True(File.Exists(Path.Combine(dir, "patch", PatchWorkflow.ImageFile)));
        Assert.InRange(universal.Linf, 0, 0.2 + 1e-6);
        Assert.InRange(patch.SuccessRate, 0, 1);

        // the report shows both with the figures their JSON holds, and their images
        var index = ReportWorkflow.Run([dir], Path.Combine(dir, "report")).Index;
        var html = File.ReadAllText(index);
        string Section(string id) => html[html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal)..];
        string Pct(double v) => (v * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";
        Assert.Contains($"<strong>{Pct(universal.FoolingRate)}</strong>", Section("universal"));
        Assert.Contains(UniversalWorkflow.ImageFile, Section("universal")[..Section("universal").IndexOf("</section>", StringComparison.Ordinal)]);
        Assert.Contains($"<strong>{Pct(patch.SuccessRate)}</strong> to class {patch.Target}", Section("patch"));
        Assert.Contains(PatchWorkflow.ExamplesFile, Section("patch")[..Section("patch").IndexOf("</section>", StringComparison.Ordinal)]);
    }
}
