namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Workflows;

/// <summary><c>advex report --from &lt;run folders or JSON files&gt; --out &lt;dir&gt;</c>: the static HTML report
/// (<see cref="ReportWorkflow"/>).</summary>
public static class ReportCommand
{
    public static Command Create(Ui ui)
    {
        var from = new Option<string[]>("--from")
        {
            Description = "run folders (read recursively) or JSON files: eval, optimizers, training/epochs JSON, universal.json, patch.json, PNG figures",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var outDir = new Option<string>("--out") { Description = "output folder for index.html and img/", DefaultValueFactory = _ => "report" };
        var title = new Option<string>("--title") { Description = "page title", DefaultValueFactory = _ => ReportWorkflow.DefaultTitle };
        var quiet = Opts.Quiet();
        var cmd = new Command("report", "Write a self-contained static HTML report (index.html + img/) from run folders and JSON results.")
        {
            from, outDir, title, quiet,
        };
        cmd.SetAction(p =>
        {
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
            Printers.Print(ui, ReportWorkflow.Run(p.GetValue(from)!, p.GetValue(outDir)!, p.GetValue(title)!));
            return 0;
        });
        return cmd;
    }
}
