namespace Advex.Workflows;

using Advex.Text;
using Advex.Training;

/// <summary>One seed's run of a text study: final figures and per-epoch figures.</summary>
public sealed record TextSeedRun(int Seed, double TestAccuracy, double ValAccuracy, double RobustAccuracy,
    List<RobustPoint> Robust, double Seconds, List<EpochMetrics> Epochs);

/// <summary>The evaluation attack of a text study: embedding-space PGD, L2 per sentence.</summary>
public sealed record TextAttackInfo(string Attack, string Norm, double[] Eps, int Steps, string StepSize);

/// <summary>Robust accuracy at one ε: mean and sample sd over the seeds.</summary>
public sealed record RobustSummary(double Eps, double Accuracy, double Sd);

public sealed record TextDataInfo(string Dir, int Train, int Val, int Test, int Vocabulary);

/// <summary>The training JSON of <c>advex text train</c>: means (and sample sd) over the seeds' final figures
/// (<c>robust_accuracy</c> at the largest attack ε, <c>robust_by_eps</c> at each); with several seeds,
/// <c>epochs</c> holds the per-epoch means and <c>runs</c> each seed's figures (<c>seeds</c> lists the seeds run;
/// <c>options.seed</c> is the options' seed, which the job's seeds override).</summary>
public sealed record TextTrainingSummary(double TestAccuracy, double TestAccuracySd, double RobustAccuracy,
    double RobustAccuracySd, List<RobustSummary> RobustByEps, double ValAccuracy, double ValAccuracySd, int[] Seeds, List<EpochMetrics> Epochs,
    List<TextSeedRun> Runs, TextAttackInfo Attack, TextDataInfo Data, TextTrainOptions Options);
