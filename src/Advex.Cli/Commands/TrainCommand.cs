namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Cli.Options;
using Advex.Workflows;

/// <summary><c>advex train</c>: train a native classifier, with curves, per-class accuracy, checkpoints and resume
/// (<see cref="TrainWorkflow"/>).</summary>
public static class TrainCommand
{
    public static Command Create(Ui ui)
    {
        var flags = new TrainFlags();
        var cmd = new Command("train", "Train a classifier (LeNet and friends) on an image dataset, optionally adversarially.");
        flags.AddTo(cmd);
        cmd.SetAction(p =>
        {
            var job = flags.Job(p);
            TrainOutputCheck.Check(job);
            using var claim = Outputs.Claim(ui, job.OutDir, "--out", (job.Json, "--json"));
            using var outcome = ui.Job($"train {job.Options.Architecture}", progress => TrainWorkflow.Run(job, progress));
            Printers.Print(ui, outcome);
            return 0;
        });
        return cmd;
    }
}
