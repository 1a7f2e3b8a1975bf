namespace Advex.Tests.Certification;

using System.Text.Json.Nodes;
using Advex.Evaluation;
using Advex.Tests.Support;
using Advex.Workflows;

/// <summary>
/// <c>certify --workers 2</c> (child processes of the real CLI, one thread each, capped at the cores) gives the same
/// records and the same certify.json as one process, timing and provenance aside; the shard folders are gone after
/// the merge, a second run into the folder is refused, and <c>--resume</c> of the finished folder recomputes the same
/// report from its records.
/// </summary>
public sealed class CertifyWorkersTests
{
    private static readonly string[] Certify =
    [
        "certify", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data", "idx:" + Paths.IdxSmall, "--sigma", "0.25",
        "--n0", "20", "--n", "200", "--limit", "7", "--radii", "0.1", "--seed", "5", "--quiet",
    ];

    /// <summary>Records sorted by index without their timing, and certify.json without timing and provenance.</summary>
    private static string Comparable(string dir)
    {
        var records = File.ReadAllLines(Path.Combine(dir, RecordFile.FileName)).Select(l => JsonNode.Parse(l)!.AsObject())
            .OrderBy(r => (long)r["index"]!).ToList();
        foreach (var r in records) r.Remove("seconds");
        Assert.Equal(7, records.Count);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, CertifyFolder.ReportFile)))!.AsObject();
        report.Remove("provenance");
        report.Remove("seconds");
        report["model"]!.AsObject().Remove("path");
        return string.Join("\n", records.Select(r => r.ToJsonString())) + "\n" + report.ToJsonString();
    }

    [Fact]
    public void Workers_give_the_records_and_report_of_one_process_and_resume_recomputes_a_finished_folder()
    {
        var root = Paths.TempDir();
        var one = Path.Combine(root, "one");
        var single = ChildAdvex.Run([.. Certify, "--out", one]);
        Assert.True(single.Exit == 0, single.Err);
        var reference = Comparable(one);

        var workers = Path.Combine(root, "workers");
        var json = Path.Combine(root, "workers.json");
        var run = ChildAdvex.Run([.. Certify, "--out", workers, "--workers", "2", "--json", json]);
        Assert.True(run.Exit == 0, run.Err);
        Assert.Equal(reference, Comparable(workers));
        Assert.False(Directory.Exists(Path.Combine(workers, ShardProcesses.ShardsFolder)));
        Assert.Equal(File.ReadAllText(Path.Combine(workers, CertifyFolder.ReportFile)), File.ReadAllText(json));

        var again = ChildAdvex.Run([.. Certify, "--out", workers, "--workers", "2"]);
        Assert.Equal(2, again.Exit);
        Assert.Contains("already holds", again.Err);
        var resumed = ChildAdvex.Run([.. Certify, "--out", workers, "--workers", "2", "--resume"]);
        Assert.True(resumed.Exit == 0, resumed.Err);
        Assert.Equal(reference, Comparable(workers));
    }
}
