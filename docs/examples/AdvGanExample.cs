namespace Advex.Examples;

using Advex.Attacks;
using Advex.Data;
using Advex.Evaluation;
using Advex.Generative;
using Advex.Models;
using Advex.Workflows;

/// <summary>`advex advgan train` then `advex eval --attack advgan --generator dir` as library calls (step 000 of the original notes): a
/// generator trained against a frozen model, then used as an attack.</summary>
public static class AdvGanExample
{
    public static (AdvGanSummary Training, EvalReport Attack) Run(string modelPath, string outDir, int trainImages = 1000)
    {
        using var model = ModelStore.Load(modelPath);
        var job = new AdvGanJob { Target = modelPath, Limit = trainImages, Options = new AdvGanOptions { Epochs = 1 }, OutDir = outDir };
        var training = AdvGanWorkflow.Run(model, job);
        using var test = DataSource.Load("mnist", "test", null, null, 200);
        var advgan = AttackRegistry.Create("advgan", 0.3, new AttackSettings { Generator = outDir });
        var report = EvalWorkflow.Run(model, test, [advgan], new EvalOptions { Eps = [0.3] }, modelPath).Report;
        Console.WriteLine($"AdvGAN ε=0.3: held-out success in training {training.TestSuccess:P1}, robust accuracy {report.Runs[0].RobustAccuracy:P1}");
        return (training, report);
    }
}
