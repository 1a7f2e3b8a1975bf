namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Workflows;

/// <summary><c>advex merge DIR... --out DIR2 [--report]</c>: shard folders → one evaluation, equal to the unsharded run.</summary>
public static class MergeCommand
{
    public static Command Create(Ui ui)
    {
        var folders = new Argument<string[]>("folders") { Description = "evaluation folders written by eval --out, or certification folders written by certify --out (e.g. one per shard)", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<string>("--out") { Description = "the merged evaluation folder", Required = true };
        var report = new Option<bool>("--report") { Description = "also write the figures into --out" };
        var quiet = Opts.Quiet();
        var cmd = new Command("merge", "Merge evaluation or certification folders (shards) into one: checks configuration, fingerprints and that every sample appears once, then recomputes every figure from the records.")
        {
            folders, outDir, report, quiet,
        };
        cmd.SetAction(p =>
        {
            MergeWorkflow.CheckOut(p.GetValue(folders)!, p.GetValue(outDir)!);
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
            if (p.GetValue(folders)!.Length > 0 && CertifyFolder.IsCertification(p.GetValue(folders)![0]))
            {
                CertifyCommand.Print(ui, CertifyWorkflow.Merge(p.GetValue(folders)!, p.GetValue(outDir)!, p.GetValue(report), ui.CommandLine));
                return 0;
            }
            Printers.Print(ui, MergeWorkflow.Run(p.GetValue(folders)!, p.GetValue(outDir)!, p.GetValue(report), ui.CommandLine));
            return 0;
        });
        return cmd;
    }
}
