namespace Advex.Tests.Cli;

using Advex.Data;
using Advex.Tests.Support;

/// <summary>Bad input: one line on stderr naming the problem, exit code 2, no output file left behind.</summary>
public sealed class CliErrorTests
{
    private static readonly string LeNetPt = Path.Combine(Paths.TorchScript, "lenet.pt");

    private static void AssertUsageError(string expected, params string[] args)
    {
        var dir = Paths.TempDir();
        var json = Path.Combine(dir, "out.json");
        var report = Path.Combine(dir, "report");
        var r = CliRunner.Run([.. args, "--json", json, "--report", report]);
        Assert.Equal(2, r.ExitCode);
        var lines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.False(File.Exists(json), "half-written JSON left behind");
        Assert.False(Directory.Exists(report) && Directory.EnumerateFileSystemEntries(report).Any(), "report files left behind");
    }

    private static string IdxFolder(Action<string> mutate)
    {
        var dir = Paths.TempDir();
        foreach (var f in Directory.GetFiles(Paths.IdxSmall)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        mutate(dir);
        return dir;
    }

    [Fact]
    public void Missing_idx_file_is_named()
    {
        var dir = IdxFolder(d => File.Delete(Path.Combine(d, "t10k-labels-idx1-ubyte.gz")));
        AssertUsageError("t10k-labels-idx1-ubyte", "eval", "--model", LeNetPt, "--data", "idx:" + dir);
    }

    [Fact]
    public void Truncated_idx_file_is_named()
    {
        var dir = IdxFolder(d =>
        {
            var images = Idx.Read(Path.Combine(d, "t10k-images-idx3-ubyte.gz"), 3);
            var path = Path.Combine(d, "t10k-images-idx3-ubyte.gz");
            File.Delete(path);
            var raw = Path.Combine(d, "t10k-images-idx3-ubyte");
            Idx.Write(raw, images);
            var bytes = File.ReadAllBytes(raw);
            File.WriteAllBytes(raw, bytes[..^100]);
        });
        AssertUsageError("truncated", "eval", "--model", LeNetPt, "--data", "idx:" + dir);
    }

    [Fact]
    public void Wrong_magic_is_reported()
    {
        var dir = IdxFolder(d =>
        {
            var path = Path.Combine(d, "t10k-labels-idx1-ubyte.gz");
            File.Delete(path);
            File.WriteAllBytes(Path.Combine(d, "t10k-labels-idx1-ubyte"), [0, 0, 9, 1, 0, 0, 0, 1, 3]);
        });
        AssertUsageError("wrong magic", "eval", "--model", LeNetPt, "--data", "idx:" + dir);
    }

    [Fact]
    public void Image_label_count_mismatch_is_reported()
    {
        var dir = IdxFolder(d =>
        {
            var path = Path.Combine(d, "t10k-labels-idx1-ubyte.gz");
            var labels = Idx.Read(path, 1);
            Idx.Write(path, new IdxArray([150], labels.Data[..150]));
        });
        AssertUsageError("count mismatch", "eval", "--model", LeNetPt, "--data", "idx:" + dir);
    }

    [Fact]
    public void Model_output_not_NxC_is_reported() =>
        AssertUsageError("expected [N,C]", "eval", "--model", Path.Combine(Paths.TorchScript, "bad_output.pt"),
            "--data", "idx:" + Paths.IdxSmall);

    [Fact]
    public void Missing_model_is_reported() =>
        AssertUsageError("model file not found", "eval", "--model", "/nope/model.pt", "--data", "idx:" + Paths.IdxSmall);

    [Theory]
    [InlineData("-0.1", "negative")]
    [InlineData("0.1,abc", "'abc' is not a number")]
    [InlineData("nan", "not a number")]
    public void Bad_eps_is_reported(string eps, string expected) =>
        AssertUsageError(expected, "eval", "--model", LeNetPt, "--data", "idx:" + Paths.IdxSmall, "--eps", eps);

    [Fact]
    public void Unknown_attack_is_reported() =>
        AssertUsageError("unknown attack 'fgsn'", "eval", "--model", LeNetPt, "--data", "idx:" + Paths.IdxSmall, "--attack", "fgsn");

    [Fact]
    public void Unknown_dataset_is_reported() =>
        AssertUsageError("unknown dataset 'mnist2'", "eval", "--model", LeNetPt, "--data", "mnist2");

    [Fact]
    public void Unknown_option_is_reported() =>
        AssertUsageError("--epsilon", "eval", "--model", LeNetPt, "--epsilon", "0.1");

    [Fact]
    public void Train_with_unknown_model_is_reported()
    {
        var dir = Paths.TempDir();
        var r = CliRunner.Run("train", "--model", "resnet", "--out", dir, "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("unknown model 'resnet'", r.Err);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void Grad_align_with_a_multi_step_method_is_reported()
    {
        var dir = Paths.TempDir();
        var r = CliRunner.Run("train", "--adv", "pgd", "--eps", "0.3", "--grad-align", "0.5", "--out", dir, "--quiet");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--grad-align applies to fgsm-rs, fgsm-ep and n-fgsm only", r.Err);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }
}
