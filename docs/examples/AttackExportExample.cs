namespace Advex.Examples;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;
using Advex.Workflows;

/// <summary>`advex attack --attack pgd --eps 0.1 --out dir` as a library call: adversarial images saved as IDX (like
/// the input), with labels, predictions, a PNG grid and the JSON summary.</summary>
public static class AttackExportExample
{
    public static EvalReport Run(string modelPath, string idxFolder, string outDir)
    {
        using var model = ModelStore.Load(modelPath);
        using var data = DataSource.Load("idx:" + idxFolder, "test");
        var pgd = new Pgd(0.1, Norm.Linf, steps: 20, stepSize: 0.01);
        return AttackWorkflow.Run(model, data, pgd, new EvalOptions { Eps = [0.1] }, modelPath, outDir);
    }
}
