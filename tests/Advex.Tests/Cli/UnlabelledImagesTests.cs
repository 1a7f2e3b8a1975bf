namespace Advex.Tests.Cli;

using System.Text.Json;
using Advex.Tests.Support;

/// <summary>
/// Issue 23, item 2: an <c>images:</c> folder whose files sit directly in it is an unlabelled set; <c>--labels
/// predicted</c> takes each label from the model's clean prediction and is recorded in run.json (and compared on
/// resume); <c>--class-names</c> names the classes; <c>advex predict</c> lists the top-k. The fixture CNN
/// (tests/fixtures/onnx/cnn.onnx) classifies every cifar-png image as its folder's class, so the predicted labels are
/// known: the flat folder below is those images with the class folders flattened away.
/// </summary>
public sealed class UnlabelledImagesTests
{
    private static readonly string[] Normalization = ["--mean", "0.4914,0.4822,0.4465", "--std", "0.2470,0.2435,0.2616"];
    private static string Cnn => Path.Combine(Paths.Fixtures, "onnx", "cnn.onnx");
    private static string Names => Path.Combine(Paths.Fixtures, "cifar10", "batches.meta.txt");

    /// <summary>The test split's PNGs (two per class) in one flat folder, named so that ordinal order is class order;
    /// returns the folder and each file's true class in that order.</summary>
    private static (string Folder, List<(string File, int Class)> Files) FlatFolder()
    {
        var root = Path.Combine(Paths.Fixtures, "images", "cifar-png", "test");
        var classes = Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var flat = Path.Combine(Paths.TempDir(), "flat");
        Directory.CreateDirectory(flat);
        var files = new List<(string, int)>();
        for (var c = 0; c < classes.Length; c++)
            foreach (var png in Directory.GetFiles(Path.Combine(root, classes[c]!), "*.png").Order(StringComparer.Ordinal).Take(2))
            {
                var name = $"{c:D2}-{classes[c]}-{Path.GetFileName(png)}";
                File.Copy(png, Path.Combine(flat, name));
                files.Add((name, c));
            }
        return (flat, files);
    }

    [Fact]
    public void Flat_folder_evaluates_with_predicted_labels_that_run_json_records_and_resume_compares()
    {
        var (flat, files) = FlatFolder();
        var refused = CliRunner.Run(["eval", "--model", Cnn, "--data", "images:" + flat, .. Normalization, "--quiet"]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--labels predicted", refused.Err);

        var dir = Path.Combine(Paths.TempDir(), "eval");
        var r = CliRunner.Run(["eval", "--model", Cnn, "--data", "images:" + flat, .. Normalization, "--labels", "predicted",
            "--class-names", Names, "--attack", "fgsm", "--eps", "0.03", "--out", dir, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Err);
        var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json"))).RootElement;
        Assert.Equal("predicted", run.GetProperty("configuration").GetProperty("labels").GetString());
        var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "eval.json"))).RootElement;
        Assert.Equal("predicted", eval.GetProperty("data").GetProperty("labels").GetString());
        Assert.Equal(1.0, eval.GetProperty("clean_accuracy").GetDouble());
        // every record's label is the model's prediction, which for this fixture is the image's true class
        var labels = File.ReadAllLines(Path.Combine(dir, "samples.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(e => e.GetProperty("index").GetInt64(), e => e.GetProperty("label").GetInt64());
        Assert.Equal(files.Select(f => (long)f.Class), Enumerable.Range(0, files.Count).Select(i => labels[i]));
        // class names from the file name the per-class rows
        var names = File.ReadAllLines(Names).Where(l => l.Length > 0).ToArray();
        foreach (var row in eval.GetProperty("per_class").EnumerateArray())
            Assert.Equal(names[row.GetProperty("class").GetInt32()], row.GetProperty("name").GetString());

        // a labelled folder evaluated with predicted labels cannot be resumed with the dataset's labels
        var labelled = "images:" + Path.Combine(Paths.Fixtures, "images", "cifar-png");
        var dir2 = Path.Combine(Paths.TempDir(), "eval2");
        Assert.Equal(0, CliRunner.Run(["eval", "--model", Cnn, "--data", labelled, .. Normalization, "--labels", "predicted",
            "--attack", "fgsm", "--eps", "0.03", "--out", dir2, "--limit", "6", "--quiet"]).ExitCode);
        var resumed = CliRunner.Run(["eval", "--model", Cnn, "--data", labelled, .. Normalization,
            "--attack", "fgsm", "--eps", "0.03", "--out", dir2, "--limit", "6", "--resume", "--quiet"]);
        Assert.Equal(2, resumed.ExitCode);
        Assert.Contains("labels: ", resumed.Err);
        Assert.Contains("predicted", resumed.Err);
    }

    [Fact]
    public void Predict_lists_each_files_top_k_classes_with_names_and_descending_probabilities()
    {
        var (flat, files) = FlatFolder();
        var json = Path.Combine(Paths.TempDir(), "predict.json");
        var r = CliRunner.Run(["predict", "--model", Cnn, "--data", "images:" + flat, .. Normalization, "--top-k", "3",
            "--class-names", Names, "--json", json, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Err);
        var names = File.ReadAllLines(Names).Where(l => l.Length > 0).ToArray();
        var samples = JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("samples").EnumerateArray().ToList();
        Assert.Equal(files.Count, samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            Assert.Equal(i, s.GetProperty("index").GetInt32());
            Assert.Equal(files[i].File, s.GetProperty("file").GetString());
            var topk = s.GetProperty("topk").EnumerateArray().ToList();
            Assert.Equal(3, topk.Count);
            var p = topk.Select(t => t.GetProperty("probability").GetDouble()).ToArray();
            Assert.True(p.Zip(p.Skip(1)).All(q => q.First >= q.Second), $"sample {i}: probabilities not descending");
            Assert.True(p.Sum() <= 1 + 1e-6 && p.All(x => x > 0));
            foreach (var t in topk) Assert.Equal(names[t.GetProperty("class").GetInt32()], t.GetProperty("name").GetString());
            Assert.Equal(files[i].Class, s.GetProperty("top1").GetProperty("class").GetInt32());
            Assert.Equal(topk[0].GetProperty("class").GetInt32(), s.GetProperty("top1").GetProperty("class").GetInt32());
        }
    }
}
