namespace Advex.Tests.Attacks;

using System.Text.Json;
using Advex.Attacks;
using Advex.Attacks.Core;
using Advex.Examples;
using Advex.Models;
using Advex.Tests.Support;
using static TorchSharp.torch;

/// <summary>
/// HopSkipJump, FMN and EAD through an evaluation (docs/examples/DecisionAndMinimumNormExample.cs): HopSkipJump on
/// the onnxruntime backend spends queries and no gradients, within its budget, as the records say; the L1 runs record
/// each sample's L1 norm, and the report's robust accuracy at each ε and median norm are those of the records.
/// </summary>
public sealed class DecisionAndMinimumNormEvalTests
{
    private static List<JsonElement> Records(string dir) => File.ReadAllLines(Path.Combine(dir, "samples.jsonl"))
        .Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Fact]
    public void Example_reports_queries_norms_and_robust_accuracy_at_eps_from_the_records()
    {
        using var _ = new SingleThread();
        var dir = Paths.TempDir();
        var (decision, l1) = DecisionAndMinimumNormExample.Run(Path.Combine(Paths.Fixtures, "onnx", "lenet.onnx"),
            Path.Combine(Paths.TorchScript, "lenet.pt"), dir, 12);

        var hsj = Assert.Single(decision.Runs);
        Assert.Equal(0, hsj.GradientsPerSample);
        Assert.InRange(hsj.QueriesPerSample, 50, 500);
        var hsjRecords = Records(Path.Combine(dir, "hsj"));
        Assert.All(hsjRecords, r => Assert.InRange(r.GetProperty("queries").GetInt64(), 1, 500));
        var atEps = hsj.RobustAccuracyAtEps!.OrderBy(kv => double.Parse(kv.Key, System.Globalization.CultureInfo.InvariantCulture)).Select(kv => kv.Value).ToArray();
        for (var i = 1; i < atEps.Length; i++) Assert.True(atEps[i] <= atEps[i - 1], "robust accuracy rises with ε");
        Assert.True(atEps[^1] < decision.CleanAccuracy, "HopSkipJump broke nothing within L2 3");

        var records = Records(Path.Combine(dir, "l1"));
        for (var run = 0; run < l1.Runs.Count; run++)
        {
            var result = l1.Runs[run];
            Assert.Equal("l1", result.Norm);
            var mine = records.Where(r => r.GetProperty("run").GetInt32() == run).ToList();
            Assert.All(mine, r => Assert.Equal(JsonValueKind.Number, r.GetProperty("norm").ValueKind));
            var broken = mine.Where(r => r.GetProperty("attacked").GetBoolean() && r.GetProperty("success").GetBoolean())
                .Select(r => r.GetProperty("norm").GetDouble()).Order().ToArray();
            Assert.True(broken.Length > 0 && result.MedianNorm > 0);
            Assert.Equal(broken.Average(), result.MeanNorm, 4);
            foreach (var (key, value) in result.RobustAccuracyAtEps!)
            {
                var eps = double.Parse(key, System.Globalization.CultureInfo.InvariantCulture);
                var robust = mine.Count(r => r.GetProperty("clean").GetInt64() == r.GetProperty("label").GetInt64() &&
                    (!r.GetProperty("success").GetBoolean() || r.GetProperty("norm").GetDouble() > eps + 1e-6)) / (double)mine.Count;
                Assert.Equal(robust, value, 9);
            }
            Assert.True(result.RobustAccuracyAtEps["20"] < l1.CleanAccuracy, $"{result.Attack} broke nothing within L1 20");
        }
    }

    [Fact]
    public void HopSkipJump_counts_queries_only_within_its_budget_targeted_too()
    {
        using var scope = NewDisposeScope();
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        using var test = Advex.Data.DataSource.Load("mnist", "test");
        var (x, y) = test.Slice(0, 16);
        foreach (var goal in new AttackGoal[] { new Untargeted(y), new Targeted((y + 1).remainder(10)) })
        {
            using var context = AttackContext.Sequential(16, 3);
            var r = new HopSkipJump(Norm.Linf, queries: 400).Run(model, x, goal, context);
            Assert.All(context.GradientCounts, k => Assert.Equal(0, k));
            Assert.All(context.QueryCounts, k => Assert.InRange(k, 1, 400));
            Assert.True(goal.Succeeded(model.Predict(r.Adversarial)).eq(r.Success).all().item<bool>());
            Assert.True(r.Success.any().item<bool>(), $"HopSkipJump ({(goal.IsTargeted ? "targeted" : "untargeted")}) met no goal");
        }
        Assert.Contains("hsj supports the norms l2 and linf, not l1", Assert.Throws<AdvexException>(() => new HopSkipJump(Norm.L1)).Message);
        Assert.Contains("pgd supports the norms linf and l2, not l0", Assert.Throws<AdvexException>(() =>
            new Pgd(0.3, Norm.L0).Run(model, x, new Untargeted(y))).Message);
    }
}
