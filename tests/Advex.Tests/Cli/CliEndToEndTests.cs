namespace Advex.Tests.Cli;

using System.Text.Json;
using Advex.Tests.Support;

public sealed class CliEndToEndTests
{
    [Fact]
    public void Eval_torchscript_on_an_idx_folder_writes_the_documented_json()
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "eval.json");
        var r = CliRunner.Run("eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data", "idx:" + Paths.IdxSmall,
            "--attack", "fgsm", "--eps", "0,0.1,0.3", "--json", json, "--report", Path.Combine(dir, "report"), "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.TorchScript, "expected.json"))).RootElement;
        Assert.Equal(expected.GetProperty("idx-small").GetProperty("lenet_t10k_correct").GetInt32() / 200.0,
            root.GetProperty("clean_accuracy").GetDouble(), 12);
        Assert.Equal(200, root.GetProperty("data").GetProperty("count").GetInt32());
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(3, runs.Count);
        foreach (var key in new[] { "attack", "norm", "eps", "params", "targeted", "robust_accuracy", "attack_success_rate",
                     "mean_l2", "mean_linf", "max_linf", "seconds", "images_per_second" })
            Assert.True(runs[0].TryGetProperty(key, out _), $"runs[].{key} missing");
        Assert.Equal("fgsm", runs[0].GetProperty("attack").GetString());
        Assert.Equal(root.GetProperty("clean_accuracy").GetDouble(), runs[0].GetProperty("robust_accuracy").GetDouble());
        Assert.True(runs[2].GetProperty("robust_accuracy").GetDouble() < runs[0].GetProperty("robust_accuracy").GetDouble());
        Assert.True(root.GetProperty("sanity").GetArrayLength() >= 5);
        Assert.True(root.GetProperty("per_class").GetArrayLength() == 10);
        Assert.True(new FileInfo(Path.Combine(dir, "report", "accuracy_vs_eps.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(dir, "report", "examples.png")).Length > 1000);
        Assert.Contains("fgsm", r.Out);
    }

    [Fact]
    public void Train_twice_with_the_same_seed_gives_identical_weights_and_metrics()
    {
        var dir = Paths.TempDir();
        string[] Args(string o) => ["train", "--limit", "2000", "--epochs", "2", "--seed", "9", "--out", o, "--quiet"];
        var a = CliRunner.Run(Args(Path.Combine(dir, "a")));
        var b = CliRunner.Run(Args(Path.Combine(dir, "b")));
        Assert.True(a.ExitCode == 0, a.Err);
        Assert.True(b.ExitCode == 0, b.Err);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir, "a", "model.bin")), File.ReadAllBytes(Path.Combine(dir, "b", "model.bin")));
        static IEnumerable<string> Metrics(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement
            .GetProperty("epochs").EnumerateArray()
            .Select(e => $"{e.GetProperty("train_loss")} {e.GetProperty("test_loss")} {e.GetProperty("test_accuracy")}");
        Assert.Equal(Metrics(Path.Combine(dir, "a", "training.json")), Metrics(Path.Combine(dir, "b", "training.json")));
        foreach (var f in new[] { "loss.png", "accuracy.png", "model.json", "checkpoint/current" })
            Assert.True(File.Exists(Path.Combine(dir, "a", f)), f);
        // the folder is a model: eval --model <train output>
        var e = CliRunner.Run("eval", "--model", Path.Combine(dir, "a"), "--limit", "100", "--eps", "0.1", "--quiet");
        Assert.True(e.ExitCode == 0, e.Err);
    }
}
