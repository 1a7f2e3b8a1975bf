namespace Advex.Cli.Commands;

using System.CommandLine;
using Advex.Workflows;

/// <summary>
/// <c>advex demo [--out dir] [--quick]</c>: the newcomer's path on the embedded MNIST (<see cref="DemoWorkflow"/>,
/// sized by <see cref="DemoPlan"/>), each step's result shown as its own command would show it.
/// </summary>
public static class DemoCommand
{
    public static Command Create(Ui ui)
    {
        var outDir = new Option<string>("--out") { Description = "output folder", DefaultValueFactory = _ => "runs/demo" };
        var quick = new Option<bool>("--quick") { Description = "a first look in under 2 minutes: less training, fewer images" };
        var epochs = new Option<int?>("--epochs") { Description = "LeNet training epochs (default 5, --quick 1)" };
        var seed = Opts.Seed();
        var quiet = Opts.Quiet();
        var cmd = new Command("demo", "Train LeNet on the embedded MNIST, run every attack family against it and write an HTML report.")
        {
            outDir, quick, epochs, seed, quiet,
        };
        cmd.SetAction(p =>
        {
            var plan = p.GetValue(quick) ? DemoPlan.Quick : DemoPlan.Full;
            if (p.GetValue(epochs) is { } e) plan = plan with { Epochs = e };
            using var claim = Outputs.Claim(ui, p.GetValue(outDir), "--out");
            Run(ui, new DemoJob
            {
                Plan = plan, OutDir = p.GetValue(outDir)!, Seed = p.GetValue(seed),
                Command = p.GetValue(quick) ? "advex demo --quick" : "advex demo",
            });
            return 0;
        });
        return cmd;
    }

    /// <summary>Runs the demo, printing each step's result; returns the path of the report's index.html.</summary>
    public static string Run(Ui ui, DemoJob job)
    {
        var observer = new DemoObserver
        {
            Trained = r => Printers.Print(ui, r), Evaluated = r => Printers.Print(ui, r), Compared = r => Printers.Print(ui, r),
            FeaturesCompared = r => Printers.Print(ui, r),
            AdvGanTrained = (j, r) => Printers.Print(ui, j, r), GanTrained = (j, r) => Printers.Print(ui, j, r), Reported = r => Printers.Print(ui, r),
        };
        var outcome = ui.Job("demo", progress => DemoWorkflow.Run(job, progress, observer));
        ui.Line($"demo finished in {outcome.Seconds:F0} s; outputs in {outcome.OutDir}");
        ui.Line($"open the report: {outcome.Index}");
        return outcome.Index;
    }
}
