namespace Advex.Tests.Evaluation;

using Advex.Tests.Deploy;
using Advex.Tests.Support;

/// <summary>
/// Evaluation folders as a hostile or careless user leaves them (issue 22): resume checks every record as merge does
/// (a torn last line is redone, anything else is an error naming the line, and nothing is changed); a resumed run
/// ends with the example images of an uninterrupted run after a kill -9 or lost examples; an empty shard is a valid,
/// mergeable shard; the data spec is compared by what it names, not by how it is spelt, and a differing
/// configuration names the field and both values.
/// </summary>
public sealed class EvalFolderAttackTests
{
    private static readonly string[] Eval =
    [
        "eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--data", $"idx:{Paths.IdxSmall}",
        "--attack", "fgsm", "--eps", "0.1,0.2", "--quiet",
    ];

    private static void Ok(CliRunner.Outcome r) => Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Err}");

    private static string Fresh(string root, string name, int limit)
    {
        var dir = Path.Combine(root, name);
        Ok(CliRunner.Run([.. Eval, "--limit", limit.ToString(), "--out", dir]));
        return dir;
    }

    /// <summary>eval.json without timing and provenance.</summary>
    private static string Figures(string dir) => EvalFolderDiff.Figures(dir).ToJsonString();

    [Theory]
    [InlineData("duplicate", "line 21 repeats sample 0 (fgsm@0.1) of line 1")]
    [InlineData("index-out-of-range", "line 3: index 57 is outside the evaluation's samples 0..9")]
    [InlineData("index-negative", "line 3: index -1 is outside the evaluation's samples 0..9")]
    [InlineData("other-run-key", "line 3: run 0 is fgsm@0.1, but the record says attack 'pgd@0.1'")]
    [InlineData("bare-object", "line 21 is not a sample record (missing 'index'")]
    [InlineData("label-out-of-range", "line 3: label 12 is not a class of the model (0..9)")]
    [InlineData("garbage-inside", "line 3 is not a sample record")]
    public void Resume_refuses_a_tampered_record_naming_the_line_and_changes_nothing(string tamper, string message)
    {
        var root = Paths.TempDir();
        var dir = Fresh(root, "o", 10);
        File.Delete(Path.Combine(dir, "eval.json")); // as if it had been interrupted at the end
        var samples = Path.Combine(dir, "samples.jsonl");
        var lines = File.ReadAllLines(samples).ToList();
        Assert.Equal(20, lines.Count);
        switch (tamper)
        {
            case "duplicate": lines.Add(lines[0]); break;
            case "index-out-of-range": lines[2] = lines[2].Replace("\"index\":1,", "\"index\":57,"); break;
            case "index-negative": lines[2] = lines[2].Replace("\"index\":1,", "\"index\":-1,"); break;
            case "other-run-key": lines[2] = lines[2].Replace("fgsm@0.1", "pgd@0.1"); break;
            case "bare-object": lines.Add("{}"); break;
            case "label-out-of-range": lines[2] = System.Text.RegularExpressions.Regex.Replace(lines[2], "\"label\":\\d+", "\"label\":12"); break;
            case "garbage-inside": lines[2] = lines[2][..20]; break;
        }
        File.WriteAllText(samples, string.Join("\n", lines) + "\n");
        var before = FolderSnapshot.Take(root);

        var r = CliRunner.Run([.. Eval, "--limit", "10", "--out", dir, "--resume"]);

        Assert.Equal(2, r.ExitCode);
        var errLines = r.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(errLines.Length == 1, r.Err);
        Assert.Contains($"{samples} {message}", errLines[0]);
        Assert.Equal(before, FolderSnapshot.Take(root));
    }

    [Fact]
    public void Resume_redoes_samples_whose_example_images_were_lost_and_ends_with_the_uninterrupted_examples()
    {
        var root = Paths.TempDir();
        var whole = Fresh(root, "whole", 12);
        var lost = Fresh(root, "lost", 12);
        // a full disk at the end, or a version that kept examples in memory: records complete, examples gone
        File.Delete(Path.Combine(lost, "examples.json"));
        File.Delete(Path.Combine(lost, "eval.json"));

        var r = CliRunner.Run([.. Eval, "--limit", "12", "--out", lost, "--resume"]);

        Ok(r);
        Assert.Equal(File.ReadAllText(Path.Combine(whole, "examples.json")), File.ReadAllText(Path.Combine(lost, "examples.json")));
        Assert.Equal(Figures(whole), Figures(lost));
        Assert.Equal(24, File.ReadAllLines(Path.Combine(lost, "samples.jsonl")).Length);
    }

    [Fact]
    public void A_run_killed_after_its_example_batches_resumes_to_the_uninterrupted_examples()
    {
        var root = Directory.CreateTempSubdirectory("advex-examples-kill-").FullName;
        try
        {
            string[] eval = [.. Eval[..3], "--data", "mnist", "--limit", "200", "--batch-size", "4", "--attack", "fgsm,pgd", "--steps", "3", "--eps", "0.1", "--quiet"];
            var whole = Path.Combine(root, "whole");
            var (e1, _, err1) = ChildAdvex.Run([.. eval, "--out", whole]);
            Assert.True(e1 == 0, err1);

            var killed = Path.Combine(root, "killed");
            using (var child = ChildAdvex.Start([.. eval, "--out", killed]))
            {
                var samples = Path.Combine(killed, "samples.jsonl");
                var deadline = DateTime.UtcNow.AddMinutes(3);
                // two batches of 4 samples x 2 runs: indices 0..7, every example image, are done
                while ((!File.Exists(samples) || File.ReadAllLines(samples).Length < 16) && DateTime.UtcNow < deadline)
                    Thread.Sleep(20);
                child.KillHard();
            }
            var partial = File.ReadAllLines(Path.Combine(killed, "samples.jsonl")).Length;
            Assert.InRange(partial, 16, 399);
            Assert.False(File.Exists(Path.Combine(killed, "eval.json")));

            var (e2, _, err2) = ChildAdvex.Run([.. eval, "--out", killed, "--resume"]);
            Assert.True(e2 == 0, err2);
            Assert.Equal(File.ReadAllText(Path.Combine(whole, "examples.json")), File.ReadAllText(Path.Combine(killed, "examples.json")));
            Assert.Equal(Figures(whole), Figures(killed));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void An_empty_shard_writes_an_empty_folder_that_merges_into_the_unsharded_figures()
    {
        var root = Paths.TempDir();
        var whole = Fresh(root, "whole", 3);
        var shards = new List<string>();
        for (var k = 0; k < 5; k++)
        {
            var dir = Path.Combine(root, $"s{k}");
            var r = CliRunner.Run([.. Eval, "--limit", "3", "--shard", $"{k}/5", "--out", dir]);
            Ok(r);
            if (k >= 3)
            {
                Assert.Contains($"shard {k}/5 holds none of the 3 samples", r.Out);
                Assert.Equal("", File.ReadAllText(Path.Combine(dir, "samples.jsonl")));
                Assert.True(File.Exists(Path.Combine(dir, "run.json")));
                // resuming an empty shard (a Slurm task restarted) is fine too
                Ok(CliRunner.Run([.. Eval, "--limit", "3", "--shard", $"{k}/5", "--out", dir, "--resume"]));
            }
            shards.Add(dir);
        }
        var merged = Path.Combine(root, "merged");
        Ok(CliRunner.Run(["merge", .. shards, "--out", merged, "--report", "--quiet"]));
        Assert.Equal(Figures(whole), Figures(merged));
    }

    [Fact]
    public void The_data_spec_is_compared_by_the_folder_it_names_and_a_difference_names_field_and_values()
    {
        var root = Paths.TempDir();
        var dir = Fresh(root, "o", 6);
        var figures = Figures(dir);
        File.Delete(Path.Combine(dir, "eval.json"));
        string[] respelt = [.. Eval.Select(a => a.StartsWith("idx:") ? $"idx:{Paths.IdxSmall}/./" : a)];

        Ok(CliRunner.Run([.. respelt, "--limit", "6", "--out", dir, "--resume"]));
        Assert.Equal(figures, Figures(dir));

        var other = CliRunner.Run([.. Eval, "--limit", "7", "--out", dir, "--resume"]);
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("was made by another evaluation (data.count: 6 vs 7)", other.Err);
        var seed = CliRunner.Run([.. Eval, "--limit", "6", "--seed", "5", "--out", dir, "--resume"]);
        Assert.Contains("(seed: 0 vs 5)", seed.Err);
    }
}
