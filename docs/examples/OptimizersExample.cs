namespace Advex.Examples;

using Advex.Data;
using Advex.Models;
using Advex.Workflows;

/// <summary>`advex optimizers --target 3` as a library call (step 003 of the original notes): SGD, RMSprop and Adam driving the same
/// targeted attack; loss and target-probability curves and the comparison JSON.</summary>
public static class OptimizersExample
{
    public static OptimizerOutcome Run(string modelPath, string outDir, int images = 8)
    {
        using var model = ModelStore.Load(modelPath);
        using var data = DataSource.Load("mnist", "test", null, null, images);
        var job = new OptimizerComparisonJob { Target = 3, Steps = 20, OutDir = outDir, Json = Path.Combine(outDir, "optimizers.json") };
        var outcome = OptimizerComparisonWorkflow.Run(model, data, job);
        Console.WriteLine($"fastest to class 3: {outcome.Fastest?.Name ?? "none"}");
        return outcome;
    }
}
