namespace Advex.Tests.Attacks;

using System.Text.Json;
using Advex.Attacks;
using Advex.Attacks.Universal;
using Advex.Data;
using Advex.Evaluation;
using Advex.IO;
using Advex.Models;
using Advex.Tests.Support;
using Advex.Reporting;
using Advex.Workflows;

/// <summary>
/// Universal perturbations on the TorchScript LeNet: the saved v lies in the ε-ball, it really fools the model on
/// held-out images, and <c>eval --attack universal</c> with the saved file reproduces the reported figures exactly.
/// </summary>
public sealed class UniversalPerturbationTests
{
    private static string LeNet => Path.Combine(Paths.TorchScript, "lenet.pt");

    [Fact]
    public void Sgd_uap_stays_in_the_eps_ball_and_eval_of_the_saved_file_reproduces_its_fooling_rate()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var learn = CliRunner.Run("attack", "--model", LeNet, "--universal", "sgd", "--eps", "0.2", "--train-limit", "500",
            "--limit", "100", "--passes", "3", "--out", Path.Combine(dir, "uap"), "--quiet");
        Assert.True(learn.ExitCode == 0, learn.Err);
        var summary = JsonOutput.Read<UniversalSummary>(Path.Combine(dir, "uap", UniversalWorkflow.SummaryFile));
        var (v, shape) = NpyFile.Read(Path.Combine(dir, "uap", UniversalWorkflow.PerturbationFile));
        Assert.Equal([1L, 28, 28], shape);
        Assert.True(v.Max(Math.Abs) <= 0.2 + 1e-6, $"‖v‖∞ = {v.Max(Math.Abs)}");
        Assert.True(summary.FoolingRate > 0.1, $"fooling rate {summary.FoolingRate}");

        var eval = CliRunner.Run("eval", "--model", LeNet, "--attack", "universal", "--perturbation",
            Path.Combine(dir, "uap", UniversalWorkflow.PerturbationFile), "--eps", "0.2", "--limit", "100", "--batch-size", "33",
            "--out", Path.Combine(dir, "eval"), "--quiet");
        Assert.True(eval.ExitCode == 0, eval.Err);
        var records = EvalFolder.ReadRecords(Path.Combine(dir, "eval"), EvalFolder.ReadManifest(Path.Combine(dir, "eval")));
        Assert.Equal(summary.FoolingRate, UniversalWorkflow.FoolingRate(records));
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "eval", EvalFolder.EvalFile))).RootElement;
        Assert.Equal(summary.RobustAccuracy, report.GetProperty("runs")[0].GetProperty("robust_accuracy").GetDouble());
    }

    [Fact]
    public void Deepfool_uap_in_l2_stays_in_the_ball_and_fools_more_training_images_than_no_perturbation()
    {
        using var _ = new SingleThread();
        using var model = ModelStore.Load(LeNet);
        using var full = DataSource.Load("mnist", "train");
        using var train = full.Take(120);
        var learned = UniversalPerturbation.Learn(model, train, new UniversalOptions(UniversalMethod.DeepFool, 3.0, Norm.L2, passes: 2), seed: 0);
        var l2 = Math.Sqrt(learned.Values.Sum(x => (double)x * x));
        Assert.True(l2 <= 3.0 + 1e-4, $"‖v‖₂ = {l2}");
        Assert.True(learned.Passes[^1].TrainFoolingRate > 0.1, $"fooling rate {learned.Passes[^1].TrainFoolingRate}");
    }

    [Fact]
    public void Npy_round_trips_and_a_file_with_a_lying_shape_is_refused()
    {
        var path = Path.Combine(Paths.TempDir(), "v.npy");
        float[] values = [0.5f, -1, 2, 3, 4, 5];
        NpyFile.Write(path, values, [1, 2, 3]);
        var (read, shape) = NpyFile.Read(path);
        Assert.Equal(values, read);
        Assert.Equal([1L, 2, 3], shape);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        Assert.Contains("needs 24", Assert.Throws<AdvexException>(() => NpyFile.Read(path)).Message);
    }
}
