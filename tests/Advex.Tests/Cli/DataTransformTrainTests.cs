namespace Advex.Tests.Cli;

using System.Text.Json;
using Advex.Tests.Support;

/// <summary>
/// <c>train</c> and <c>advgan train</c> read data with the options <c>eval</c> takes (<c>--resize</c>,
/// <c>--grayscale</c>, ...): a model trained on resized grey PNGs has their shape, its manifest records the options,
/// it evaluates on the folder read the same way and is refused on the folder read as it is.
/// </summary>
public sealed class DataTransformTrainTests
{
    private static readonly string Images = "images:" + Path.Combine(Paths.Fixtures, "images", "cifar-png");
    private static readonly string[] Transforms = ["--resize", "16", "--grayscale"];

    private static string Train(string dir)
    {
        var model = Path.Combine(dir, "model");
        var r = CliRunner.Run(["train", "--data", Images, .. Transforms, "--model", "smallcnn", "--epochs", "1",
            "--batch-size", "4", "--out", model, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Err);
        return model;
    }

    [Fact]
    public void A_model_trained_on_transformed_images_has_their_shape_and_records_the_options()
    {
        var model = Train(Paths.TempDir());
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "model.json"))).RootElement;
        Assert.Equal([1, 16, 16], manifest.GetProperty("input_shape").EnumerateArray().Select(d => d.GetInt32()));
        var options = manifest.GetProperty("training").GetProperty("data_options");
        Assert.Equal(16, options.GetProperty("resize").GetInt32());
        Assert.True(options.GetProperty("grayscale").GetBoolean());

        var same = CliRunner.Run(["eval", "--model", model, "--data", Images, .. Transforms, "--attack", "fgsm",
            "--eps", "0.03", "--quiet"]);
        Assert.True(same.ExitCode == 0, same.Err);
        var plain = CliRunner.Run("eval", "--model", model, "--data", Images, "--attack", "fgsm", "--eps", "0.03", "--quiet");
        Assert.Equal(2, plain.ExitCode);
        Assert.Single(plain.Err.Trim().Split('\n'));
    }

    [Fact]
    public void Advgan_trains_against_that_model_on_the_images_read_the_same_way()
    {
        var dir = Paths.TempDir();
        var model = Train(dir);
        var r = CliRunner.Run(["advgan", "train", "--target", model, "--data", Images, .. Transforms, "--epochs", "1",
            "--batch-size", "4", "--out", Path.Combine(dir, "gen"), "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.True(File.Exists(Path.Combine(dir, "gen", "generator.json")));
        var plain = CliRunner.Run("advgan", "train", "--target", model, "--data", Images, "--epochs", "1",
            "--out", Path.Combine(dir, "gen2"), "--quiet");
        Assert.Equal(2, plain.ExitCode);
    }
}
