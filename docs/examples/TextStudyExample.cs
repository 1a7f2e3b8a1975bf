namespace Advex.Examples;

using Advex.Text;
using Advex.Workflows;

/// <summary>`advex text train --adv fgm --seeds 1,2` as a library call (step 002 of the original notes): the sentiment CNN trained with FGM
/// on its embedding once per seed; clean and embedding-PGD accuracy as mean ± sd.</summary>
public static class TextStudyExample
{
    public static TextTrainingSummary Run(string outDir, int epochs = 1)
    {
        var options = new TextTrainOptions { Adv = "fgm", Epochs = epochs, AttackSteps = 2 };
        var summary = TextStudyWorkflow.Run(new TextStudyJob { Options = options, Seeds = [1, 2], OutDir = outDir });
        Console.WriteLine($"clean {summary.TestAccuracy:P1} ± {summary.TestAccuracySd:P1}, PGD {summary.RobustAccuracy:P1} ± {summary.RobustAccuracySd:P1}");
        return summary;
    }
}
