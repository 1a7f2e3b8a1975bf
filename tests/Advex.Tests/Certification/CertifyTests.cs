namespace Advex.Tests.Certification;

using System.Text.Json;
using Advex.Data;
using Advex.Evaluation;
using Advex.Evaluation.Smoothing;
using Advex.Models;
using Advex.Tests.Support;
using Advex.Workflows;
using Xunit.Abstractions;

/// <summary>
/// <c>certify</c> (randomized smoothing, Cohen et al. 2019) on the TorchScript LeNet fixture: agreement with an
/// independent CERTIFY written from the paper (scripts/reference_certify.py, torch.randn noise, six seeds), the
/// certificate's own formula on every record, and records that depend neither on the noise batch nor on shards.
/// </summary>
public sealed class CertifyTests(ITestOutputHelper output)
{
    private static string LeNet => Path.Combine(Paths.TorchScript, "lenet.pt");

    [Fact]
    public void Certified_accuracy_matches_an_independent_certify_within_its_monte_carlo_spread()
    {
        using var _ = new SingleThread();
        var reference = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.Fixtures, "reference", "certify-lenet.json"))).RootElement;
        var limit = reference.GetProperty("limit").GetInt32();
        var options = new SmoothingOptions(reference.GetProperty("sigma").GetDouble(), reference.GetProperty("n0").GetInt32(),
            reference.GetProperty("n").GetInt32(), reference.GetProperty("alpha").GetDouble());
        using var model = ModelStore.Load(LeNet);
        using var full = DataSource.Load("mnist", "test");
        using var data = full.Take(limit);
        var report = CertifyWorkflow.Run(model, data, new CertifyJob { Smoothing = options, Seed = 0 }, LeNet).Report;
        foreach (var radius in new[] { "0.25", "0.5" })
        {
            var runs = reference.GetProperty("runs").EnumerateArray()
                .Select(r => r.GetProperty("certified_accuracy").GetProperty(radius).GetDouble()).ToArray();
            var mean = runs.Average();
            var sd = Math.Sqrt(runs.Sum(v => (v - mean) * (v - mean)) / (runs.Length - 1));
            // three standard deviations of the reference's spread over seeds, plus one sample (a radius near r may
            // fall either side of it)
            var tolerance = 3 * sd + 1.0 / limit + 1e-12;
            var advex = report.CertifiedAccuracy[radius];
            output.WriteLine($"r={radius}: Advex {advex:F4}, reference {mean:F4} ± {sd:F4} over {runs.Length} seeds (tolerance {tolerance:F4})");
            Assert.InRange(advex, mean - tolerance, mean + tolerance);
        }
    }

    [Fact]
    public void Records_follow_the_certificate_and_depend_neither_on_the_noise_batch_nor_on_shards()
    {
        using var _ = new SingleThread();
        using var model = ModelStore.Load(LeNet);
        using var full = DataSource.Load("mnist", "test");
        using var data = full.Take(6);
        var o = new SmoothingOptions(0.5, n0: 20, n: 150, alpha: 0.01, noiseBatch: 1000);
        var dir = Paths.TempDir();
        var whole = CertifyWorkflow.Run(model, data, new CertifyJob { Smoothing = o, Seed = 3, OutDir = Path.Combine(dir, "whole"), Radii = [0.1] }, LeNet);
        var smallBatches = CertifyWorkflow.Run(model, data, new CertifyJob
        {
            Smoothing = new SmoothingOptions(0.5, n0: 20, n: 150, alpha: 0.01, noiseBatch: 7), Seed = 3,
        }, LeNet);
        foreach (var k in new[] { 0, 1 })
            CertifyWorkflow.Run(model, data, new CertifyJob
            {
                Smoothing = o, Seed = 3, Shard = new Shard(k, 2), OutDir = Path.Combine(dir, $"s{k}"), Radii = [0.1],
            }, LeNet);
        var merged = CertifyWorkflow.Merge([Path.Combine(dir, "s0"), Path.Combine(dir, "s1")], Path.Combine(dir, "merged"), figures: true, "test");

        Assert.Equal(whole.Report.Samples, smallBatches.Report.Samples);
        Assert.Equal(whole.Report.Samples, merged.Report.Samples);
        Assert.Equal(whole.Report.CertifiedAccuracy, merged.Report.CertifiedAccuracy);
        Assert.Equal(["0", "0.1", "0.25", "0.5", "0.75", "1"], whole.Report.CertifiedAccuracy.Keys);
        Assert.True(new FileInfo(Path.Combine(dir, "merged", CertifyFolder.FigureFile)).Length > 1000);
        // every record is CERTIFY's verdict on its own counts
        var records = CertifyFolder.ReadRecords(Path.Combine(dir, "whole", RecordFile.FileName), CertifyFolder.ReadManifest(Path.Combine(dir, "whole"))).Records;
        Assert.Equal(6, records.Count);
        foreach (var r in records)
        {
            var bound = SpecialFunctions.ClopperPearsonLower(r.CountA, o.N, o.Alpha);
            Assert.Equal(bound, r.PALower);
            if (bound > 0.5) Assert.Equal(o.Sigma * SpecialFunctions.InverseNormalCdf(bound), r.Radius);
            else Assert.Equal((Certificate.Abstain, 0.0), (r.Prediction, r.Radius));
        }
        Assert.Contains(records, r => r.Correct && r.Radius > 0);
    }

    [Fact]
    public void Certify_resumes_from_its_records_and_refuses_another_configuration()
    {
        using var _ = new SingleThread();
        var dir = Path.Combine(Paths.TempDir(), "c");
        string[] args = ["certify", "--model", LeNet, "--data", "idx:" + Paths.IdxSmall, "--sigma", "0.25", "--n0", "10", "--n", "50",
            "--limit", "3", "--out", dir, "--quiet"];
        var first = CliRunner.Run(args);
        Assert.True(first.ExitCode == 0, first.Err);
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, CertifyFolder.ReportFile))).RootElement;
        Assert.Equal(3, json.GetProperty("samples").GetArrayLength());
        Assert.True(json.GetProperty("certified_accuracy").TryGetProperty("0.25", out var _));
        var lines = File.ReadAllLines(Path.Combine(dir, RecordFile.FileName));
        File.WriteAllLines(Path.Combine(dir, RecordFile.FileName), lines[..2].Append(lines[2][..10])); // a torn last line
        var resumed = CliRunner.Run([.. args, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.Err);
        static string[] Untimed(IEnumerable<string> l) => l.Select(x => JsonSerializer.Serialize(
            JsonSerializer.Deserialize<CertifyRecord>(x, RecordJson.Line)!.WithoutTiming(), RecordJson.Line)).ToArray();
        Assert.Equal(Untimed(lines), Untimed(File.ReadAllLines(Path.Combine(dir, RecordFile.FileName))));
        var other = CliRunner.Run([.. args.Select(a => a == "0.25" ? "0.5" : a), "--resume"]);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("another certification", other.Err);
    }
}
