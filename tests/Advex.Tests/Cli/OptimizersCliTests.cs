namespace Advex.Tests.Cli;

using System.Text.Json;
using Advex.Models;
using Advex.Tests.Support;
using Xunit.Abstractions;

/// <summary><c>advex optimizers</c> end to end on the shared LeNet.</summary>
[Collection("lenet")]
public sealed class OptimizersCliTests(TrainedLeNet lenet, ITestOutputHelper output)
{
    [Fact]
    public void Cli_optimizers_writes_both_figures_and_the_json()
    {
        var dir = Paths.TempDir();
        try
        {
            var modelDir = Path.Combine(dir, "model");
            ModelStore.Save(lenet.Model, modelDir, ModelStore.ManifestFor(lenet.Model));
            var outDir = Path.Combine(dir, "out");
            var json = Path.Combine(dir, "opt.json");
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            var code = Advex.Cli.Cli.Run(
            [
                "optimizers", "--model", modelDir, "--limit", "8", "--target", "3", "--steps", "25", "--lr", "0.01",
                "--optimizers", "sgd,rmsprop,adam", "--out", outDir, "--json", json, "--quiet",
            ], stdout, stderr);

            output.WriteLine(stdout.ToString());
            Assert.True(code == 0, $"exit {code}: {stderr}");
            foreach (var png in new[] { "optimizers_loss.png", "optimizers_target_prob.png" })
            {
                var bytes = File.ReadAllBytes(Path.Combine(outDir, png));
                Assert.True(bytes.Length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', $"{png} is not a PNG");
            }
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(3, doc.RootElement.GetProperty("target").GetInt32());
            var runs = doc.RootElement.GetProperty("optimizers").EnumerateArray().ToArray();
            Assert.Equal(["sgd", "rmsprop", "adam"], runs.Select(r => r.GetProperty("name").GetString()));
            foreach (var r in runs)
            {
                Assert.Equal(0.01, r.GetProperty("lr").GetDouble());
                Assert.Equal(25, r.GetProperty("steps").GetInt32());
                Assert.InRange(r.GetProperty("success_rate").GetDouble(), 0, 1);
                Assert.True(r.TryGetProperty("median_iterations", out _));
                Assert.Equal(26, r.GetProperty("loss").GetArrayLength());
                Assert.Equal(26, r.GetProperty("target_probability").GetArrayLength());
            }
            Assert.Contains("adam", stdout.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Cli_optimizers_rejects_a_target_outside_the_classes_with_one_line_and_exit_2()
    {
        var dir = Paths.TempDir();
        try
        {
            ModelStore.Save(lenet.Model, dir, ModelStore.ManifestFor(lenet.Model));
            var stderr = new StringWriter();
            var code = Advex.Cli.Cli.Run(["optimizers", "--model", dir, "--target", "12", "--quiet"], new StringWriter(), stderr);
            Assert.Equal(2, code);
            Assert.Contains("--target 12", stderr.ToString());
            Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));

            code = Advex.Cli.Cli.Run(["optimizers", "--model", dir, "--target", "1", "--optimizers", "lbfgs", "--quiet"],
                new StringWriter(), stderr = new StringWriter());
            Assert.Equal(2, code);
            Assert.Contains("lbfgs", stderr.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
