namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Cli.Options;
using Advex.Workflows;

/// <summary><c>advex gan train</c>: a GAN on an image dataset (step 001 of the original notes), with a sample grid per epoch, curves,
/// MNIST Inception Score per epoch, checkpoints and resume (<see cref="GanWorkflow"/>).</summary>
public static class GanCommand
{
    public static Command Create(Ui ui)
    {
        var flags = new GanFlags();
        var train = new Command("train", "Train a GAN (BCE, Adam 2e-4, betas 0.5/0.999) and score its samples each epoch.");
        flags.AddTo(train);
        train.SetAction(p =>
        {
            var job = flags.Job(p);
            TrainOutputCheck.Check(job);
            using var claim = Outputs.Claim(ui, job.OutDir, "--out", (job.Json, "--json"));
            var summary = ui.Job($"gan {job.Options.Architecture}", progress => GanWorkflow.Run(job, progress));
            Printers.Print(ui, job, summary);
            return 0;
        });
        return new Command("gan", "Generative adversarial networks.") { train };
    }
}
