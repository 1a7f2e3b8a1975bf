namespace Advex.Examples;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Models;

public static class LibraryExample
{
    public static EvalReport Run(string modelPath, int count = 1000)
    {
        using var model = ModelStore.Load(modelPath);          // an `advex train` folder, a model.json or a TorchScript .pt
        using var mnist = DataSource.Load("mnist", "test");     // the embedded MNIST test split
        using var test = mnist.Take(count);                     // the first `count` images, in file order
        var pgd = new Pgd(0.3, Norm.Linf, steps: 40, stepSize: 0.01);
        var report = new RobustnessEvaluator().Evaluate(model, test, [pgd], new EvalOptions(), modelPath);
        Console.WriteLine($"clean {report.CleanAccuracy:P2}, PGD ε=0.3 {report.Runs[0].RobustAccuracy:P2}");
        foreach (var check in report.Sanity.Where(c => !c.Ok)) Console.WriteLine($"warning {check.Check}: {check.Detail}");
        return report;
    }
}
