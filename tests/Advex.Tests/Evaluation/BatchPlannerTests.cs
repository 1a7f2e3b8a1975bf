namespace Advex.Tests.Evaluation;

using System.Globalization;
using System.Text.Json;
using Advex.Evaluation;
using Advex.Tests.Support;

/// <summary>
/// Issue 23, item 3: <c>--batch-size auto</c> (the default) takes, among the batches whose estimated peak memory fits
/// <c>--max-memory</c>, the fastest per sample. Each run is a child <c>advex</c> process, whose resident memory at planning time is the same
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
        Assert.Equal(count, plan.GetProperty("memory_fit").GetInt32()); // the whole fixture fits the default budget
        var timings = plan.GetProperty("timings").EnumerateArray().ToArray();
        Assert.Equal(2, timings[0].GetProperty("batch").GetInt32());
        Assert.Contains(timings, t => t.GetProperty("batch").GetInt32() == auto.GetProperty("batch_size").GetInt32());
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

    [Fact]
    public void Auto_stops_at_the_first_clearly_slower_batch_and_takes_the_fastest()
    {
        // per-sample cost flat up to 8, then 4x (a batch whose activations leave the caches), as MobileNetV2 at 224 px
        var probed = new List<int>();
        var (batch, timings) = BatchSpeed.Choose(256, b => { probed.Add(b); return b * (b <= 8 ? 0.05 : 0.2); });
        Assert.Equal(8, batch);
        Assert.Equal([2, 4, 8, 16], probed); // 16 is 4x slower per sample: 32 … 256 are never timed
        Assert.Equal(4, timings.Count);
    }

    [Fact]
    public void Auto_takes_the_largest_batch_when_larger_is_as_fast_or_faster()
    {
        // a fixed cost per step amortised over the batch (a small network): per sample keeps falling
        Assert.Equal(100, BatchSpeed.Choose(100, b => 0.01 + 0.001 * b).Batch);
        Assert.Equal([2, 4, 8, 16, 32, 64, 100], BatchSpeed.Candidates(100));
        // equal within the tie factor: the larger batch (fewer batches, same speed)
        Assert.Equal(64, BatchSpeed.Pick([new(32, 1.0), new(64, 1.0 * BatchSpeed.Tie), new(2, 2.0)]));
        Assert.Equal(32, BatchSpeed.Pick([new(32, 1.0), new(64, 1.1)]));
        Assert.Equal([1], BatchSpeed.Candidates(1));
        // a step over MaxProbeSeconds ends the search at the fastest so far, even while per sample still falls
        Assert.Equal(64, BatchSpeed.Choose(256, b => b * (0.4 - b / 1000.0)).Batch);
    }

    [Theory]
    [InlineData("4G", 4L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("800000000", 800000000L)]
    public void Memory_sizes_parse_with_binary_units(string text, long bytes) =>
        Assert.Equal(bytes, MemorySize.Parse(text, "max-memory"));
}
