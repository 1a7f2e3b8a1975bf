namespace Advex.Examples;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Workflows;

/// <summary>
/// <code>
/// advex eval --model lenet.onnx --backend onnxruntime --attack hsj --queries 500 --eps 1,2,3 --limit 16 --out DIR/hsj
/// advex eval --model lenet.pt --attack fmn,ead --norm l1 --eps 5,10,20 --limit 16 --out DIR/l1
/// </code>
/// as library calls. HopSkipJump sees only the top-1 label, so it runs where the model has no gradients (ONNX Runtime);
/// FMN and EAD minimise the L1 norm. All three are minimisation attacks: the report gives, per attack, the success
/// rate, the mean and median norm of the successful perturbations in the attack's norm, and the robust accuracy at
/// each ε of the list (a sample counts as broken at ε when the attack fooled the model within ε).
/// </summary>
public static class DecisionAndMinimumNormExample
{
    public static (EvalReport Decision, EvalReport L1) Run(string onnxFile, string torchScriptFile, string outDir, int limit)
    {
        using var test = DataSource.Load("mnist", "test");
        using var data = test.Take(limit);

        using var blackBox = ModelStore.Load(onnxFile, new ModelOptions(Backend: ModelBackend.OnnxRuntime));
        double[] l2 = [1, 2, 3];
        var hsj = AttackSweep.Build(["hsj"], l2, new AttackSettings { Queries = 500 });
        var (decision, _) = EvalWorkflow.Run(blackBox, data, hsj, new EvalOptions { Eps = l2 }, onnxFile,
            new EvalOutputs(null, null, Path.Combine(outDir, "hsj")));

        using var whiteBox = ModelStore.Load(torchScriptFile);
        double[] l1 = [5, 10, 20];
        var sparse = AttackSweep.Build(["fmn", "ead"], l1, new AttackSettings { Norm = Norm.L1 });
        var (l1Report, _) = EvalWorkflow.Run(whiteBox, data, sparse, new EvalOptions { Eps = l1 }, torchScriptFile,
            new EvalOutputs(null, null, Path.Combine(outDir, "l1")));

        foreach (var r in decision.Runs.Concat(l1Report.Runs))
            Console.WriteLine($"{r.Attack} ({r.Norm}): success {r.AttackSuccessRate:P1}, median norm {r.MedianNorm:F3}, " +
                $"{r.QueriesPerSample:F0} queries and {r.GradientsPerSample:F0} gradients per sample, robust accuracy " +
                string.Join(", ", r.RobustAccuracyAtEps!.Select(kv => $"{kv.Value:P0} at {kv.Key}")));
        return (decision, l1Report);
    }
}
