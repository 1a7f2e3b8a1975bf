namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Reporting.Html;

/// <summary><c>advex report --from &lt;run folders or JSON files&gt; --out &lt;dir&gt;</c>: the static HTML report.</summary>
public static class ReportCommand
{
    public static Command Create(Ui ui)
    {
        var from = new Option<string[]>("--from")
        {
            Description = "run folders (read recursively) or JSON files: eval, optimizers, training/epochs JSON, PNG figures",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var outDir = new Option<string>("--out") { Description = "output folder for index.html and img/", DefaultValueFactory = _ => "report" };
        var title = new Option<string>("--title") { Description = "page title", DefaultValueFactory = _ => "Advex robustness report" };
        var quiet = Opts.Quiet();
        var cmd = new Command("report", "Write a self-contained static HTML report (index.html + img/) from run folders and JSON results.")
        {
            from, outDir, title, quiet,
        };
        cmd.SetAction(p =>
        {
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
            Run(ui, p.GetValue(from)!, p.GetValue(outDir)!, p.GetValue(title)!);
            return 0;
        });
        return cmd;
    }

    /// <summary>Writes the report and prints its path; shared with <c>demo</c>.</summary>
    public static string Run(Ui ui, IReadOnlyList<string> from, string outDir, string title = "Advex robustness report")
    {
        if (from.Count == 0) throw new AdvexException("--from: give at least one run folder or JSON file");
        var inputs = ReportInputs.Load(from, outDir);
        if (inputs.IsEmpty)
            throw new AdvexException($"--from: nothing to report: {string.Join("; ", inputs.Unusable)}");
        foreach (var problem in inputs.Unusable) ui.Err.WriteLine($"warning: --from {problem}");
        ui.Line($"report inputs: {inputs.Evals.Count} evaluation(s), {inputs.Optimizers.Count} optimizer comparison(s), " +
                $"{inputs.Trainings.Count} per-epoch run(s), {inputs.Images.Count} figure(s)");
        var path = HtmlReport.Write(inputs, outDir, title, from);
        ui.Line($"report: {path}");
        return path;
    }
}
