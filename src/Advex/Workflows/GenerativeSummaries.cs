namespace Advex.Workflows;

using Advex.Generative;

/// <summary>The <c>gan-training.json</c> of <see cref="GanWorkflow"/>: per-epoch figures, the last epoch's Inception
/// Score, the training time of all epochs (resumed ones included) and this run's wall time.</summary>
public sealed record GanSummary(List<GanEpoch> Epochs, double? InceptionScore, double TrainingSeconds,
    double WallSeconds, string Data, GanOptions Options);

/// <summary>The <c>advgan-training.json</c> of <see cref="AdvGanWorkflow"/>: per-epoch figures, the last epoch's
/// held-out success rate and mean L2, the training and wall time, the target, the data and the generator's manifest.</summary>
public sealed record AdvGanSummary(List<AdvGanEpoch> Epochs, double? TestSuccess, double? TestMeanL2,
    double TrainingSeconds, double WallSeconds, string Target, string Data, string Generator, AdvGanOptions Options);
