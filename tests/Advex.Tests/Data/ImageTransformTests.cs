namespace Advex.Tests.Data;

using System.Text.Json;
using Advex.Data;
using Advex.Tests.Support;

/// <summary>
/// <c>images:</c> decoding and transforms against torchvision: tests/fixtures/images/transforms holds what
/// torchvision 0.14's <c>ImageFolder</c> with <c>Resize</c> / <c>CenterCrop</c> / <c>Grayscale</c> / <c>ToTensor</c>
/// (Pillow 9.4) gives for tests/fixtures/images/photos (scripts/make_image_fixtures.py). Lossless files (PNG, BMP,
/// WebP lossless) must match byte for byte: decoding is exact and the transforms are integer arithmetic reproduced
/// step by step. JPEG decoding is not specified to the bit (libjpeg builds differ in IDCT rounding), so JPEG
/// samples may differ by at most 2/255 per pixel, with a mean absolute difference below 0.5/255.
/// </summary>
public sealed class ImageTransformTests
{
    private static string Photos => Path.Combine(Paths.Fixtures, "images", "photos");
    private static string TransformsDir => Path.Combine(Paths.Fixtures, "images", "transforms");

    public static TheoryData<string> Configs()
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(TransformsDir, "transforms.json")));
        return new(meta.RootElement.GetProperty("configs").EnumerateObject().Select(p => p.Name).ToArray());
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Transforms_equal_torchvision_on_the_photo_fixtures(string config)
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(TransformsDir, "transforms.json")));
        var c = meta.RootElement.GetProperty("configs").GetProperty(config);
        int? Int(string name) => c.GetProperty(name).ValueKind == JsonValueKind.Null ? null : c.GetProperty(name).GetInt32();
        var options = new DataOptions { Resize = Int("resize"), CenterCrop = Int("center_crop"), Grayscale = c.GetProperty("grayscale").GetBoolean() };
        using var data = DataSource.Load("images:" + Photos, "test", null, null, null, options);

        var shape = c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
        Assert.Equal(shape, new long[] { data.Count, data.Channels, data.Height, data.Width });
        Assert.Equal(c.GetProperty("classes").EnumerateArray().Select(e => e.GetString()), data.ClassNames);
        Assert.Equal(c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt64()), data.LabelArray);
        var files = c.GetProperty("files").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(files, data.SampleNames);

        var expected = File.ReadAllBytes(Path.Combine(TransformsDir, config + ".bin"));
        var sample = (int)(shape[1] * shape[2] * shape[3]);
        using var scope = TorchSharp.torch.NewDisposeScope();
        var (x, _) = data.Slice(0, data.Count);
        var actual = x.mul(255).round().to_type(TorchSharp.torch.ScalarType.Byte).data<byte>().ToArray();
        for (var i = 0; i < files.Length; i++)
        {
            var diffs = Enumerable.Range(i * sample, sample).Select(j => Math.Abs(actual[j] - expected[j])).ToArray();
            if (files[i].EndsWith(".jpg", StringComparison.Ordinal))
            {
                Assert.True(diffs.Max() <= 2, $"{config} {files[i]}: max difference {diffs.Max()}/255 from torchvision");
                Assert.True(diffs.Average() < 0.5, $"{config} {files[i]}: mean difference {diffs.Average():F3}/255");
            }
            else
                Assert.True(diffs.Max() == 0,
                    $"{config} {files[i]}: {diffs.Count(d => d != 0)} of {sample} bytes differ from torchvision (max {diffs.Max()})");
        }
    }

    [Fact]
    public void Images_of_different_sizes_without_transforms_are_refused_naming_the_file()
    {
        var e = Assert.Throws<AdvexException>(() => DataSource.Load("images:" + Photos, "test"));
        Assert.Contains(Photos, e.Message);
        Assert.Contains("resize and center-crop", e.Message);
    }

    [Fact]
    public void A_png_folder_reads_the_same_pixels_and_labels_as_the_cifar_binary_made_from_it()
    {
        foreach (var split in new[] { "train", "test" })
        {
            using var png = DataSource.Load("images:" + Path.Combine(Paths.Fixtures, "images", "cifar-png"), split);
            using var bin = DataSource.Load("cifar10:" + Path.Combine(Paths.Fixtures, "cifar10"), split);
            Assert.Equal(DataFormat.Images, png.Format);
            Assert.Equal(DataFormat.Cifar10, bin.Format);
            Assert.Equal(bin.ClassNames, png.ClassNames);
            Assert.Equal(bin.LabelArray, png.LabelArray);
            Assert.Equal([3L, 32, 32], png.InputShape);
            using var scope = TorchSharp.torch.NewDisposeScope();
            Assert.True(png.Slice(0, png.Count).X.eq(bin.Slice(0, bin.Count).X).all().item<bool>(), $"{split}: pixels differ");
        }
    }
}
