namespace Advex.Tests.Docs;

using Advex.Examples;
using Advex.Tests.Support;

/// <summary>The README's library example is docs/examples/LibraryExample.cs, compiled into this project and run.</summary>
public sealed class LibraryExampleTests
{
    private static string Normalize(string s) => s.ReplaceLineEndings("\n").Trim();

    [Fact]
    public void Readme_shows_the_library_example_exactly()
    {
        var example = Normalize(File.ReadAllText(Path.Combine(Paths.Root, "docs", "examples", "LibraryExample.cs")));
        var readme = Normalize(File.ReadAllText(Path.Combine(Paths.Root, "README.md")));
        Assert.Contains("```csharp\n" + example + "\n```", readme);
    }

    [Fact]
    public void Library_example_loads_a_trained_model_runs_pgd_and_evaluates()
    {
        var dir = Paths.TempDir();
        var train = CliRunner.Run("train", "--limit", "2000", "--epochs", "1", "--seed", "1", "--out", dir, "--quiet");
        Assert.True(train.ExitCode == 0, train.Err);

        var report = LibraryExample.Run(dir, count: 100);
        Assert.Equal(100, report.Data.Count);
        Assert.True(report.CleanAccuracy > 0.5, $"clean accuracy {report.CleanAccuracy}");
        var pgd = Assert.Single(report.Runs);
        Assert.Equal("pgd", pgd.Attack);
        Assert.True(pgd.RobustAccuracy < report.CleanAccuracy / 2, $"PGD left {pgd.RobustAccuracy}");
        Assert.Contains(report.Sanity, c => c.Check == "perturbation_within_eps" && c.Ok);
    }

    [Fact]
    public void Train_and_harden_example_trains_both_models_and_the_hardened_one_resists_pgd_better()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var (plain, hardened) = TrainAndHardenExample.Run(dir);
        Assert.Equal(4, plain.Runs.Count);
        Assert.True(File.Exists(Path.Combine(dir, "hardened", "training.json")));
        Assert.True(hardened.Runs[^1].RobustAccuracy > plain.Runs[^1].RobustAccuracy,
            $"PGD-AT {hardened.Runs[^1].RobustAccuracy} vs plain {plain.Runs[^1].RobustAccuracy}");
    }
}
