namespace Advex.Tests.Evaluation;

using System.Globalization;
using System.Text.Json;
using Advex.Evaluation;
using Advex.Tests.Support;

/// <summary>
/// Issue 23, item 3: <c>--batch-size auto</c> (the default) takes the largest batch whose estimated peak memory fits
/// <c>--max-memory</c>. Each run is a child <c>advex</c> process, whose resident memory at planning time is the same
/// from run to run (within about a megabyte), unlike the test host's.
/// </summary>
public sealed class BatchPlannerTests
{
    private static readonly string[] Eval =
    [
        "eval", "--model", Path.Combine(Paths.Fixtures, "onnx", "cnn.onnx"), "--data", "cifar10:" + Path.Combine(Paths.Fixtures, "cifar10"),
        "--mean", "0.4914,0.4822,0.4465", "--std", "0.2470,0.2435,0.2616", "--attack", "pgd", "--eps", "0.03", "--steps", "3", "--quiet",
    ];

    private static (JsonElement Run, string[] Records) Evaluate(string dir, params string[] extra)
    {
        var (exit, _, err) = ChildAdvex.Run([.. Eval, "--out", dir, .. extra]);
        Assert.True(exit == 0, err);
        var records = File.ReadAllLines(Path.Combine(dir, "samples.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => $"{e.GetProperty("index")} {e.GetProperty("clean")} {e.GetProperty("adversarial")} {e.GetProperty("success")} {e.GetProperty("linf")}")
            .Order(StringComparer.Ordinal).ToArray();
        return (JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json"))).RootElement, records);
    }

    [Fact]
    public void A_small_max_memory_shrinks_the_batch_and_leaves_every_record_unchanged()
    {
        var (auto, records) = Evaluate(Path.Combine(Paths.TempDir(), "auto"));
        var plan = auto.GetProperty("batch_plan");
        var count = auto.GetProperty("configuration").GetProperty("data").GetProperty("count").GetInt32();
        Assert.Equal(count, auto.GetProperty("batch_size").GetInt32()); // the whole fixture fits the default budget
        Assert.True(plan.GetProperty("per_sample_bytes").GetInt64() > 0);

        // room for about 8 MB of batch beyond what the process holds: a few dozen samples at most
        var budget = plan.GetProperty("resident_bytes").GetInt64() + plan.GetProperty("base_bytes").GetInt64() + (8L << 20);
        var (small, smallRecords) = Evaluate(Path.Combine(Paths.TempDir(), "small"), "--max-memory",
            budget.ToString(CultureInfo.InvariantCulture));
        var batch = small.GetProperty("batch_size").GetInt32();
        Assert.True(batch >= 1 && batch < count, $"batch {batch} of {count} samples under a budget of {budget} bytes");
        Assert.Equal(budget, small.GetProperty("batch_plan").GetProperty("budget_bytes").GetInt64());
        Assert.Equal(records, smallRecords);

        var (exit, _, err) = ChildAdvex.Run([.. Eval, "--max-memory", "64M"]);
        Assert.Equal(2, exit);
        Assert.Contains("--max-memory 64 MiB is too small", err);
    }

    [Theory]
    [InlineData("4G", 4L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("800000000", 800000000L)]
    public void Memory_sizes_parse_with_binary_units(string text, long bytes) =>
        Assert.Equal(bytes, MemorySize.Parse(text, "max-memory"));
}
