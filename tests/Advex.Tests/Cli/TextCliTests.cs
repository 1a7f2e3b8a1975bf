namespace Advex.Tests.Cli;

using System.Text.Json;
using Advex.Tests.Support;

/// <summary><c>advex text train</c> end to end.</summary>
public sealed class TextCliTests
{
    [Fact]
    public void Text_train_writes_its_json_and_curves()
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "text.json");
        var r = CliRunner.Run("text", "train", "--epochs", "1", "--adv", "fgm", "--seeds", "1,2", "--attack-eps", "0.5",
            "--out", Path.Combine(dir, "run"), "--json", json, "--quiet");
        Assert.True(r.ExitCode == 0, r.Err);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var acc = root.GetProperty("test_accuracy").GetDouble();
        Assert.InRange(acc, 0.5, 1.0);
        Assert.Equal(1, root.GetProperty("epochs").GetArrayLength());
        Assert.Equal(2, root.GetProperty("runs").GetArrayLength());
        Assert.True(root.GetProperty("epochs")[0].GetProperty("extra").TryGetProperty("val_accuracy", out _));
        Assert.InRange(root.GetProperty("robust_accuracy").GetDouble(), 0, acc);
        Assert.Equal("fgm", root.GetProperty("options").GetProperty("adv").GetString());
        foreach (var f in new[] { "training.json", "seed-1/training.json", "seed-2/accuracy.png", "seed-2/loss.png" })
            Assert.True(File.Exists(Path.Combine(dir, "run", f)), f);
        Assert.Contains("clean test accuracy", r.Out);
    }

    [Theory]
    [InlineData("--adv", "fgsm")]
    [InlineData("--eps", "-1")]
    [InlineData("--seeds", "1,x")]
    [InlineData("--attack-eps", "a")]
    public void Text_train_rejects_bad_options_in_one_line_with_exit_2(string option, string value)
    {
        var r = CliRunner.Run("text", "train", option, value, "--epochs", "1", "--out", Paths.TempDir(), "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Err.Trim().Split('\n'));
    }
}
