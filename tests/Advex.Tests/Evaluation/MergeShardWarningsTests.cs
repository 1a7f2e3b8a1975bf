namespace Advex.Tests.Evaluation;

using System.Text.Json;
using Advex.Reporting.Html;
using Advex.Tests.Support;

/// <summary>
/// A shard's sanity warning survives the merge (issue 26). PGD with 20 steps on the first 120 MNIST test images in two
/// shards: with twice the steps shard 0 loses one more of its 60 samples (1.7 points, a warning in its eval.json), the
/// merged 120 samples lose that one (0.8 points, which passes), so the merged check alone would hide what the shard
/// saw. The merge keeps it in <c>shard_warnings</c>, on the console and in the HTML report.
/// </summary>
public sealed class MergeShardWarningsTests
{
    private static JsonElement Check(string evalJson, string name) =>
        JsonDocument.Parse(File.ReadAllText(evalJson)).RootElement.GetProperty("sanity").EnumerateArray()
            .Single(c => c.GetProperty("check").GetString() == name);

    [Fact]
    public void Merge_carries_a_check_that_failed_in_one_shard_into_eval_json_the_console_and_the_report()
    {
        var root = Paths.TempDir();
        var shards = Enumerable.Range(0, 2).Select(k => Path.Combine(root, $"s{k}")).ToList();
        for (var k = 0; k < 2; k++)
        {
            var r = CliRunner.Run("eval", "--model", Path.Combine(Paths.TorchScript, "lenet.pt"), "--limit", "120",
                "--attack", "pgd", "--steps", "20", "--eps", "0.1", "--shard", $"{k}/2", "--out", shards[k], "--quiet");
            Assert.True(r.ExitCode == 0, r.Err);
        }
        // the situation this test is about, as the shards themselves report it
        var shard0 = Check(Path.Combine(shards[0], "eval.json"), "more_steps_do_not_help");
        Assert.False(shard0.GetProperty("ok").GetBoolean(), "shard 0 was expected to warn: " + shard0);
        Assert.True(Check(Path.Combine(shards[1], "eval.json"), "more_steps_do_not_help").GetProperty("ok").GetBoolean());

        var merged = Path.Combine(root, "merged");
        var m = CliRunner.Run("merge", shards[0], shards[1], "--out", merged, "--quiet");
        Assert.True(m.ExitCode == 0, m.Err);
        var mergedJson = Path.Combine(merged, "eval.json");
        Assert.True(Check(mergedJson, "more_steps_do_not_help").GetProperty("ok").GetBoolean());

        var warnings = JsonDocument.Parse(File.ReadAllText(mergedJson)).RootElement.GetProperty("shard_warnings");
        var w = Assert.Single(warnings.EnumerateArray());
        Assert.Equal(shards[0], w.GetProperty("shard").GetString());
        Assert.Equal("more_steps_do_not_help", w.GetProperty("check").GetString());
        Assert.Equal(shard0.GetProperty("detail").GetString(), w.GetProperty("detail").GetString());

        Assert.Contains($"WARNING more_steps_do_not_help in shard {shards[0]} alone (the merged records pass it): " +
                        shard0.GetProperty("detail").GetString(), m.Out);

        var html = File.ReadAllText(HtmlReport.Write([merged], Path.Combine(root, "report")));
        Assert.Contains("checks that failed in one shard alone", html);
        Assert.Contains("more_steps_do_not_help (a shard)", html);

    }
}
