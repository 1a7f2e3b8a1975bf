namespace Advex.Cli.Commands;

using System.CommandLine;
using System.Globalization;
using Advex.Workflows;
using Spectre.Console;

/// <summary><c>advex predict</c>: each sample's top-k classes with names and probabilities (a table, and JSON).</summary>
public static class PredictCommand
{
    public static Command Create(Ui ui)
    {
        var source = new ModelDataOptions();
        var topK = new Option<int>("--top-k") { Description = "how many of the most probable classes to show per sample", DefaultValueFactory = _ => 5 };
        var json = Opts.Json();
        var quiet = Opts.Quiet();
        var cmd = new Command("predict", "Show each sample's most probable classes (names from --class-names) with their probabilities; the data may be unlabelled.")
        {
            topK, json, quiet,
        };
        source.AddTo(cmd);
        cmd.Options.Remove(source.Labels);
        cmd.SetAction(p =>
        {
            if (p.GetValue(topK) < 1) throw new AdvexException($"--top-k must be >= 1 (got {p.GetValue(topK)})");
            using var claim = Outputs.Claim(ui, [], [(p.GetValue(json), "--json")]);
            var names = source.ReadClassNames(p);
            using var model = source.LoadModel(p);
            using var data = source.LoadData(p);
            var report = ui.Job("predict", progress =>
                PredictWorkflow.Run(model, data, source.ModelPath(p), p.GetValue(topK), names, p.GetValue(json), progress));
            var table = new Table().Title($"Top {report.TopK} of {report.Count} {Markup.Escape(report.Data)} samples")
                .AddColumns("index", "file", "class", "name", "probability");
            foreach (var s in report.Samples)
                foreach (var (c, j) in s.Topk.Select((c, j) => (c, j)))
                    table.AddRow(j == 0 ? s.Index.ToString(CultureInfo.InvariantCulture) : "", j == 0 ? Markup.Escape(s.File ?? "-") : "",
                        c.Class.ToString(CultureInfo.InvariantCulture), Markup.Escape(c.Name), c.Probability.ToString("0.0000", CultureInfo.InvariantCulture));
            ui.Write(table);
            if (p.GetValue(json) is { } file) ui.Line($"wrote {file}");
            return 0;
        });
        return cmd;
    }
}
