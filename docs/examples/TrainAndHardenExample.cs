namespace Advex.Examples;

using Advex.Attacks;
using Advex.Data;
using Advex.Defenses;
using Advex.Evaluation;
using Advex.Training;
using Advex.Workflows;

/// <summary>`advex train`, `advex train --adv pgd` and `advex eval` as library calls.</summary>
public static class TrainAndHardenExample
{
    public static (EvalReport Plain, EvalReport Hardened) Run(string dir, int trainImages = 2000, int testImages = 200)
    {
        var options = new TrainOptions { Epochs = 1, Seed = 0 };
        using var plain = TrainWorkflow.Run(new TrainJob { Limit = trainImages, Options = options, OutDir = Path.Combine(dir, "plain") });
        using var hardened = TrainWorkflow.Run(new TrainJob
        {
            Limit = trainImages, Options = options, OutDir = Path.Combine(dir, "hardened"),
            Adversarial = new AdversarialTraining("pgd", eps: 0.3, steps: 5, heldout: 200),
        });
        using var test = DataSource.Load("mnist", "test", null, null, testImages);
        var attacks = AttackSweep.Build(["fgsm", "pgd"], [0.1, 0.3]);
        var a = EvalWorkflow.Run(plain.Model, test, attacks, new EvalOptions(), plain.OutDir).Report;
        var b = EvalWorkflow.Run(hardened.Model, test, attacks, new EvalOptions(), hardened.OutDir).Report;
        Console.WriteLine($"PGD ε=0.3: plain {a.Runs[^1].RobustAccuracy:P1}, PGD-AT {b.Runs[^1].RobustAccuracy:P1}");
        return (a, b);
    }
}
