namespace Advex.Tests.Cli;

using System.Text.Json;
using Advex.Models;
using Advex.Tests.Support;

[Collection("lenet")]
public sealed class GenerativeCliTests(TrainedLeNet lenet)
{
    private string SavedLeNet()
    {
        var dir = Paths.TempDir();
        ModelStore.Save(lenet.Model, dir, ModelStore.ManifestFor(lenet.Model));
        return dir;
    }

    [Fact]
    public void Gan_train_writes_grids_curves_checkpoint_and_the_epochs_json()
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "gan.json");
        var r = CliRunner.Run("gan", "train", "--limit", "600", "--epochs", "2", "--score-samples", "200",
            "--scorer", SavedLeNet(), "--out", Path.Combine(dir, "run"), "--json", json, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var epochs = root.GetProperty("epochs").EnumerateArray().ToList();
        Assert.Equal(2, epochs.Count);
        foreach (var key in new[] { "d_loss", "g_loss", "d_real", "d_fake", "inception_score", "seconds" })
            Assert.True(epochs[1].TryGetProperty(key, out _), $"epochs[].{key} missing");
        foreach (var file in new[] { "samples_epoch_001.png", "samples_epoch_002.png", "samples.png", "loss.png",
                     "d_outputs.png", "inception_score.png", "generator.bin", "gan.json", "checkpoint/current", "checkpoint/epoch-0002/state.json" })
            Assert.True(File.Exists(Path.Combine(dir, "run", file)), $"{file} missing");
        Assert.Contains("IS", r.Out);
    }

    [Fact]
    public void Advgan_train_then_eval_with_the_generator_folder()
    {
        var dir = Paths.TempDir();
        var model = SavedLeNet();
        var gen = Path.Combine(dir, "advgan");
        var r = CliRunner.Run("advgan", "train", "--target", model, "--limit", "500", "--epochs", "1", "--out", gen,
            "--json", Path.Combine(dir, "train.json"), "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        foreach (var file in new[] { "samples_epoch_001.png", "samples.png", "loss.png", "success.png", "generator.json",
                     "generator.bin", "checkpoint/current", "checkpoint/epoch-0001/state.json" })
            Assert.True(File.Exists(Path.Combine(gen, file)), $"{file} missing");
        var epochs = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "train.json"))).RootElement.GetProperty("epochs");
        Assert.Equal(1, epochs.GetArrayLength());

        var evalJson = Path.Combine(dir, "eval.json");
        r = CliRunner.Run("eval", "--model", model, "--attack", "advgan", "--generator", gen, "--eps", "0.3", "--limit", "100",
            "--json", evalJson, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var run = JsonDocument.Parse(File.ReadAllText(evalJson)).RootElement.GetProperty("runs")[0];
        Assert.Equal("advgan", run.GetProperty("attack").GetString());
        Assert.True(run.GetProperty("max_linf").GetDouble() <= 0.3 + 1e-5);

        r = CliRunner.Run("eval", "--model", model, "--attack", "advgan", "--generator", gen, "--targeted", "2", "--limit", "10", "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("untargeted", r.Err);
    }

    [Fact]
    public void Eval_advgan_without_a_generator_is_a_usage_error()
    {
        var r = CliRunner.Run("eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--attack", "advgan", "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--generator", r.Err);
    }
}
