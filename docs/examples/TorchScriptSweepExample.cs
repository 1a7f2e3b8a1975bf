namespace Advex.Examples;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Workflows;

/// <summary>`advex eval --model lenet.pt --data idx:folder --attack fgsm,pgd --eps 0,0.1,0.2,0.3` as a library call:
/// a PyTorch model exported as TorchScript, an ε sweep, the per-sample worst case, sanity checks and figures.</summary>
public static class TorchScriptSweepExample
{
    public static EvalReport Run(string torchScriptFile, string idxFolder, string reportDir)
    {
        using var model = ModelStore.Load(torchScriptFile);     // input shape 1,28,28 unless told otherwise
        using var data = DataSource.Load("idx:" + idxFolder, "test");
        double[] eps = [0, 0.1, 0.2, 0.3];
        var attacks = AttackSweep.Build(["fgsm", "pgd"], eps);   // one attack per name and ε, by registry name
        var (report, _) = EvalWorkflow.Run(model, data, attacks, new EvalOptions { Eps = eps }, torchScriptFile, reportDir: reportDir);
        foreach (var r in report.Runs) Console.WriteLine($"{r.Attack} ε={r.Eps}: robust accuracy {r.RobustAccuracy:P1}");
        return report;
    }
}
