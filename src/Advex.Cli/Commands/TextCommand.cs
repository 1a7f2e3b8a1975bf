namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Cli.Options;
using Advex.Workflows;

/// <summary>
/// <c>advex text train</c> (step 002 of the original notes): train the sentiment TextCnn on the embedded sentences, optionally with FGM or
/// PGD on the embedding, over one or several seeds; clean test accuracy and embedding-space PGD robust accuracy
/// (mean ± sd over seeds), curves and JSON (<see cref="TextStudyWorkflow"/>).
/// </summary>
public static class TextCommand
{
    public static Command Create(Ui ui)
    {
        var flags = new TextFlags();
        var train = new Command("train", "Train the sentiment CNN (GloVe embeddings), optionally with FGM/PGD on the embedding; report clean and embedding-PGD accuracy.");
        flags.AddTo(train);
        train.SetAction(p =>
        {
            var job = flags.Job(p);
            TrainOutputCheck.Check(job);
            using var claim = Outputs.Claim(ui, job.OutDir, "--out", (job.Json, "--json"));
            var summary = ui.Job("text train", progress => TextStudyWorkflow.Run(job, progress));
            Printers.Print(ui, summary, job.OutDir);
            return 0;
        });
        return new Command("text", "Text classification (sentiment) with adversarial training on word embeddings.") { train };
    }
}
