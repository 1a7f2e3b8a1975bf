namespace Advex.Tests.Cli;

using System.Text.Json;
using Advex.Tests.Support;

public sealed class TrainAdvCliTests
{
    private static string[] Args(string outDir, int epochs, params string[] extra) => Args("fgsm-rs", outDir, epochs, extra);

    private static string[] Args(string method, string outDir, int epochs, params string[] extra) =>
    [
        "train", "--limit", "1500", "--heldout", "300", "--epochs", epochs.ToString(), "--seed", "4", "--batch-size", "50",
        "--adv", method, "--eps", "0.1", "--alpha", "0.125", "--lr", "2e-3",
        "--out", outDir, "--quiet", .. extra,
    ];

    [Theory]
    [InlineData("fgsm-rs")]
    [InlineData("fgsm-ep")] // its per-sample perturbations are part of the checkpoint
    public void Train_adv_writes_curves_and_robust_figures_and_resume_continues_identically(string method)
    {
        var dir = Paths.TempDir();
        var full = Path.Combine(dir, "full");
        var r = CliRunner.Run(Args(method, full, 2));
        Assert.True(r.ExitCode == 0, r.Err);
        var checkpoint = Path.GetRelativePath(full, Advex.IO.Checkpoint.Committed(Path.Combine(full, "checkpoint"))!);
        string[] files = ["accuracy.png", "loss.png", "model.bin", "training.json", $"{checkpoint}/early_stopping.json",
            $"{checkpoint}/best.bin", .. method == "fgsm-ep" ? [$"{checkpoint}/perturbations.bin"] : Array.Empty<string>()];
        foreach (var f in files) Assert.True(File.Exists(Path.Combine(full, f)), f);
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(full, "training.json"))).RootElement;
        var adv = root.GetProperty("adversarial");
        Assert.Equal(method, adv.GetProperty("method").GetString());
        Assert.Equal(0.1, adv.GetProperty("eps").GetDouble());
        Assert.Equal(0.125, adv.GetProperty("alpha").GetDouble());
        Assert.True(adv.GetProperty("early_stopping").GetBoolean());
        Assert.Equal(300, adv.GetProperty("heldout").GetInt32());
        Assert.Equal("constant", root.GetProperty("options").GetProperty("lr_schedule").GetString());
        var epochs = root.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(2, epochs.Count);
        foreach (var e in epochs)
        {
            var extra = e.GetProperty("extra");
            var clean = extra.GetProperty("heldout_clean_accuracy").GetDouble();
            var pgd = extra.GetProperty("heldout_pgd_accuracy").GetDouble();
            Assert.InRange(pgd, 0, clean);
        }
        Assert.InRange(root.GetProperty("early_stopping").GetProperty("best_epoch").GetInt32(), 1, 2);
        Assert.True(root.GetProperty("wall_seconds").GetDouble() > 0);

        // an interrupted run (1 epoch) resumed to 2 epochs ends where the uninterrupted one did
        var split = Path.Combine(dir, "split");
        Assert.Equal(0, CliRunner.Run(Args(method, split, 1)).ExitCode);
        var resumed = CliRunner.Run(Args(method, split, 2, "--resume"));
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(full, "model.bin")), File.ReadAllBytes(Path.Combine(split, "model.bin")));
        static IEnumerable<string> Figures(string d) => JsonDocument.Parse(File.ReadAllText(Path.Combine(d, "training.json")))
            .RootElement.GetProperty("epochs").EnumerateArray()
            .Select(e => $"{e.GetProperty("train_loss")} {e.GetProperty("test_accuracy")} {e.GetProperty("extra")}");
        Assert.Equal(Figures(full), Figures(split));

        // the hardened folder is a model for eval, unchanged
        var ev = CliRunner.Run("eval", "--model", full, "--limit", "100", "--attack", "pgd", "--eps", "0.1", "--steps", "5", "--quiet");
        Assert.True(ev.ExitCode == 0, ev.Err);
    }

    [Fact]
    public void Train_with_grad_align_records_lambda_and_adds_the_penalty_to_the_training_loss()
    {
        var dir = Paths.TempDir();
        static double TrainLoss(string d) => JsonDocument.Parse(File.ReadAllText(Path.Combine(d, "training.json")))
            .RootElement.GetProperty("epochs")[0].GetProperty("train_loss").GetDouble();
        var plain = Path.Combine(dir, "plain");
        var aligned = Path.Combine(dir, "aligned");
        Assert.Equal(0, CliRunner.Run(Args(plain, 1)).ExitCode);
        var r = CliRunner.Run(Args(aligned, 1, "--grad-align", "1"));
        Assert.True(r.ExitCode == 0, r.Err);
        var adv = JsonDocument.Parse(File.ReadAllText(Path.Combine(aligned, "training.json"))).RootElement.GetProperty("adversarial");
        Assert.Equal(1.0, adv.GetProperty("grad_align").GetDouble());
        Assert.True(TrainLoss(aligned) > TrainLoss(plain), $"{TrainLoss(aligned)} vs {TrainLoss(plain)}");
    }

    [Fact]
    public void Adversarial_options_are_checked()
    {
        var dir = Paths.TempDir();
        var noEps = CliRunner.Run("train", "--limit", "100", "--adv", "pgd", "--out", dir, "--quiet");
        Assert.Equal(2, noEps.ExitCode);
        Assert.Contains("--eps", noEps.Err);
        var bad = CliRunner.Run("train", "--limit", "100", "--adv", "free", "--eps", "0.3", "--out", dir, "--quiet");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("fgsm-rs", bad.Err);
        var plateau = CliRunner.Run("train", "--limit", "100", "--lr-schedule", "one-cycle", "--plateau", "--out", dir, "--quiet");
        Assert.Equal(2, plateau.ExitCode);
    }
}
