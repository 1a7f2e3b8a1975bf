namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Cli.Options;
using Advex.Workflows;

/// <summary>
/// <c>advex optimizers</c> (seed 003): the same targeted optimizer attack driven by SGD, RMSprop and Adam on the same
/// samples; loss and target-probability curves, a summary table and JSON (<see cref="OptimizerComparisonWorkflow"/>).
/// With <c>--guide</c>, the feature-space attack on a feature network instead (<see cref="FeatureComparisonWorkflow"/>).
/// </summary>
public static class OptimizersCommand
{
    public static Command Create(Ui ui)
    {
        var flags = new OptimizersFlags();
        var cmd = new Command("optimizers", "Compare SGD, RMSprop and Adam driving the same targeted attack: loss and target probability per iteration.");
        flags.AddTo(cmd);
        cmd.SetAction(p =>
        {
            if (flags.FeatureJob(p) is { } featureJob)
            {
                using var featureClaim = Outputs.Claim(ui, featureJob.OutDir, "--out", (featureJob.Json, "--json"));
                using var phi = Models.FeatureExtractor.Load(flags.Source.ModelPath(p));
                using var photos = flags.Source.LoadData(p);
                Printers.Print(ui, ui.Job("features", progress => FeatureComparisonWorkflow.Run(phi, photos, featureJob, progress)));
                return 0;
            }
            var job = flags.Job(p);
            using var claim = Outputs.Claim(ui, job.OutDir, "--out", (job.Json, "--json"));
            using var model = flags.Source.LoadModel(p);
            using var data = flags.Source.LoadData(p);
            var outcome = ui.Job("optimizers", progress => OptimizerComparisonWorkflow.Run(model, data, job, progress));
            Printers.Print(ui, outcome);
            return 0;
        });
        return cmd;
    }
}
