namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Cli.Options;
using Advex.Workflows;

/// <summary><c>advex advgan train</c>: train an AdvGAN generator against a frozen target model (step 000 of the original notes), with
/// progress, curves and a sample grid per epoch (<see cref="AdvGanWorkflow"/>); the output folder is what
/// <c>eval --attack advgan --generator</c> takes.</summary>
public static class AdvGanCommand
{
    public static Command Create(Ui ui)
    {
        var flags = new AdvGanFlags();
        var train = new Command("train", "Train an AdvGAN generator against a target model (LSGAN D, C&W margin, L2 of δ).");
        flags.AddTo(train);
        train.SetAction(p =>
        {
            var job = flags.Job(p);
            TrainOutputCheck.Check(job);
            using var claim = Outputs.Claim(ui, job.OutDir, "--out", (job.Json, "--json"));
            using var model = flags.LoadTarget(p);
            var summary = ui.Job("advgan", progress => AdvGanWorkflow.Run(model, job, progress));
            Printers.Print(ui, job, summary);
            return 0;
        });
        return new Command("advgan", "AdvGAN: a generator of adversarial perturbations (Xiao et al. 2018).") { train };
    }
}
