namespace Advex.Cli;

using Spectre.Console;

/// <summary>Console output: progress bars (off when quiet or redirected), tables and warnings.</summary>
public sealed class Ui
{
    public Ui(TextWriter stdout, TextWriter stderr, bool quiet, string commandLine = "advex")
    {
        CommandLine = commandLine;
        Out = stdout;
        Err = stderr;
        Quiet = quiet;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = quiet ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = quiet ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = quiet ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (quiet) Console.Profile.Width = 140;
    }

    /// <summary>The command line being run (shown to a second writer of a locked folder, kept in results).</summary>
    public string CommandLine { get; }

    public TextWriter Out { get; }
    public TextWriter Err { get; }
    public bool Quiet { get; }
    public IAnsiConsole Console { get; }

    public void Line(string text = "") => Out.WriteLine(text);

    public void Warn(string text)
    {
        if (Quiet) Out.WriteLine($"WARNING {text}");
        else Console.MarkupLine($"[bold yellow]WARNING[/] {Markup.Escape(text)}");
    }

    public void Write(Table table) => Console.Write(table);

    /// <summary>Runs a library job with one progress bar: its bar events move the bar, its lines are printed.</summary>
    public T Job<T>(string description, Func<IProgress<Workflows.JobProgress>, T> work) =>
        WithProgress(description, report => work(new Workflows.SyncProgress<Workflows.JobProgress>(p =>
        {
            if (p.Line != null) Line(p.Line);
            if (p.Total > 0) report(p.Done, p.Total);
        })));

    /// <summary>Runs work with one progress bar; the callback reports (done, total).</summary>
    public T WithProgress<T>(string description, Func<Action<double, double>, T> work)
    {
        if (Quiet) return work((_, _) => { });
        T result = default!;
        Console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: 1);
                result = work((done, total) =>
                {
                    task.MaxValue = Math.Max(total, 1);
                    task.Value = done;
                });
            });
        return result;
    }
}
