namespace Advex.Tests.Evaluation;

using System.Text.Json.Nodes;
using Advex.Tests.Support;

/// <summary>
/// The evaluation engine end to end through the CLI (issue 14 acceptance): batch 64 vs batch 256, three shards
/// merged, <c>--workers 2</c>, and a run killed twice (SIGKILL) and resumed all give the same records and the same
/// eval.json as one uninterrupted run, timing and provenance aside. PGD with a random start and Square make the
/// per-sample randomness matter.
/// </summary>
public sealed class EvalEngineTests
{
    private static readonly string[] Eval =
    [
        "eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data", "mnist", "--limit", "240",
        "--attack", "pgd,square", "--steps", "5", "--queries", "20", "--eps", "0.1,0.2", "--quiet",
    ];

    private static string Run(string dir, params string[] extra)
    {
        var (exit, _, err) = ChildAdvex.Run([.. Eval, .. extra, "--out", dir]);
        Assert.True(exit == 0, $"exit {exit}: {err}");
        return dir;
    }

    /// <summary>Records sorted by (index, run) with the timing field zeroed, and eval.json without timing,
    /// provenance and a merge's shard warnings (checks one shard failed alone, which one run cannot have), as one
    /// comparable text.</summary>
    public static string Comparable(string dir)
    {
        var records = File.ReadAllLines(Path.Combine(dir, "samples.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject())
            .OrderBy(r => (long)r["index"]!).ThenBy(r => (int)r["run"]!).ToList();
        foreach (var r in records) r["seconds"] = 0;
        var eval = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "eval.json")))!.AsObject();
        eval.Remove("provenance");
        eval.Remove("shard_warnings");
        eval["model"]!.AsObject().Remove("path");
        foreach (var run in eval["runs"]!.AsArray())
        {
            run!["seconds"] = 0;
            run["images_per_second"] = 0;
        }
        Assert.Equal(240 * 4, records.Count);
        return string.Join("\n", records.Select(r => r.ToJsonString())) + "\n" + eval.ToJsonString();
    }

    [Fact]
    public void Batch_size_shards_workers_and_resume_after_kill_give_identical_records_and_report()
    {
        var root = Directory.CreateTempSubdirectory("advex-engine-").FullName;
        try
        {
            var reference = Comparable(Run(Path.Combine(root, "b64"), "--batch-size", "64"));
            Assert.Equal(reference, Comparable(Run(Path.Combine(root, "b256"), "--batch-size", "256")));

            var shards = Enumerable.Range(0, 3).Select(k => Run(Path.Combine(root, $"s{k}"), "--shard", $"{k}/3", "--batch-size", "50")).ToList();
            var merged = Path.Combine(root, "merged");
            var (exit, _, err) = ChildAdvex.Run(["merge", .. shards, "--out", merged, "--quiet"]);
            Assert.True(exit == 0, err);
            Assert.Equal(reference, Comparable(merged));

            Assert.Equal(reference, Comparable(Run(Path.Combine(root, "workers"), "--workers", "2")));
            Assert.False(Directory.Exists(Path.Combine(root, "workers", "shards")));

            var killed = Path.Combine(root, "killed");
            for (var attempt = 0; attempt < 2; attempt++)
            {
                using var child = ChildAdvex.Start([.. Eval, "--batch-size", "16", "--out", killed, "--resume"]);
                var samples = Path.Combine(killed, "samples.jsonl");
                var before = File.Exists(samples) ? File.ReadAllLines(samples).Length : 0;
                var deadline = DateTime.UtcNow.AddMinutes(3);
                while ((!File.Exists(samples) || File.ReadAllLines(samples).Length < before + 64) && DateTime.UtcNow < deadline)
                    Thread.Sleep(50);
                child.KillHard();
            }
            var partial = File.ReadAllLines(Path.Combine(killed, "samples.jsonl")).Length;
            Assert.InRange(partial, 64, 240 * 4 - 1);
            Assert.False(File.Exists(Path.Combine(killed, "eval.json")));
            Run(killed, "--batch-size", "16", "--resume");
            Assert.Equal(reference, Comparable(killed));

            var (reportExit, _, reportErr) = ChildAdvex.Run(["report", "--from", merged, killed, "--out", Path.Combine(root, "html"), "--quiet"]);
            Assert.True(reportExit == 0, reportErr);
            Assert.Contains("robust", File.ReadAllText(Path.Combine(root, "html", "index.html")), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_torn_last_line_is_redone_on_resume()
    {
        var root = Directory.CreateTempSubdirectory("advex-torn-").FullName;
        try
        {
            string[] small = [.. Eval[..6], "120", .. Eval[7..]];
            var whole = Path.Combine(root, "whole");
            var (e1, _, err1) = ChildAdvex.Run([.. small, "--out", whole]);
            Assert.True(e1 == 0, err1);
            var torn = Path.Combine(root, "torn");
            Directory.CreateDirectory(torn);
            File.Copy(Path.Combine(whole, "run.json"), Path.Combine(torn, "run.json"));
            var lines = File.ReadAllLines(Path.Combine(whole, "samples.jsonl"));
            File.WriteAllText(Path.Combine(torn, "samples.jsonl"),
                string.Join("\n", lines.Take(101)) + "\n" + lines[101][..(lines[101].Length / 2)]);
            var (e2, _, err2) = ChildAdvex.Run([.. small, "--out", torn, "--resume"]);
            Assert.True(e2 == 0, err2);
            var a = File.ReadAllLines(Path.Combine(whole, "samples.jsonl")).Length;
            Assert.Equal(a, File.ReadAllLines(Path.Combine(torn, "samples.jsonl")).Length);
            Assert.Equal(Normalize(Path.Combine(whole, "eval.json")), Normalize(Path.Combine(torn, "eval.json")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Normalize(string evalJson)
    {
        var eval = JsonNode.Parse(File.ReadAllText(evalJson))!.AsObject();
        eval.Remove("provenance");
        foreach (var run in eval["runs"]!.AsArray())
        {
            run!["seconds"] = 0;
            run["images_per_second"] = 0;
        }
        return eval.ToJsonString();
    }
}
