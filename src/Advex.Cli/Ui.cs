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

    /// <summary>Prints a line. While a bar is live the line goes through the live display, which prints it above
    /// the bar (a line written past it would land after the bar's cursor position, indented by its width).</summary>
    public void Line(string text = "")
    {
        if (live) Console.WriteLine(text, Style.Plain);
        else Out.WriteLine(text);
    }

    private bool live;

    /// <summary>The terminal's width in columns (140 when quiet, where nothing is live).</summary>
    public int Width => Console.Profile.Width;

    public void Warn(string text)
    {
        if (Quiet) Out.WriteLine($"WARNING {text}");
        else Console.MarkupLine($"[bold yellow]WARNING[/] {Markup.Escape(text)}");
    }

    public void Write(Table table) => Console.Write(table);

    /// <summary>Runs a library job with one progress bar: its bar events move the bar and name what runs (the
    /// event's stage, e.g. <c>attack autoattack ε=0.3 apgd-t 2/4 target 3/9</c>), its lines are printed above the
    /// bar.</summary>
    public T Job<T>(string description, Func<IProgress<Workflows.JobProgress>, T> work)
    {
        // a --workers child also hands its bar events to its parent, through standard output
        var toParent = Workflows.WorkerProgress.Requested;
        var last = System.Diagnostics.Stopwatch.StartNew();
        return WithProgress(description, (report, rename) => work(new Workflows.SyncProgress<Workflows.JobProgress>(p =>
        {
            if (p.Line != null) Line(p.Line);
            if (p.Total > 0)
            {
                rename(string.IsNullOrEmpty(p.Stage) ? description : p.Stage);
                report(p.Done, p.Total);
                if (toParent && (last.Elapsed >= Workflows.WorkerProgress.Interval || p.Done >= p.Total))
                {
                    Out.WriteLine(Workflows.WorkerProgress.Format(p with { Stage = string.IsNullOrEmpty(p.Stage) ? description : p.Stage }));
                    Out.Flush();
                    last.Restart();
                }
            }
        })));
    }

    /// <summary>Runs work with one progress bar; the callback reports (done, total).</summary>
    public T WithProgress<T>(string description, Func<Action<double, double>, T> work) =>
        WithProgress(description, (report, _) => work(report));

    /// <summary>Runs work with one progress bar; the callbacks report (done, total) and rename the bar.</summary>
    public T WithProgress<T>(string description, Func<Action<double, double>, Action<string>, T> work)
    {
        if (Quiet) return work((_, _) => { }, _ => { });
        T result = default!;
        // the columns around the description take about 38 columns: the description gets the rest, one line
        var room = Math.Max(12, Width - 40);
        string Fit(string text) => Markup.Escape(text.Length <= room ? text : text[..(room - 1)] + "…");
        live = true;
        try
        {
            Console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 12 },
                    new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Fit(description), maxValue: 1);
                    result = work((done, total) =>
                    {
                        task.MaxValue = Math.Max(total, 1);
                        task.Value = Math.Min(done, task.MaxValue);
                    }, name => task.Description = Fit(name));
                });
        }
        finally
        {
            live = false;
        }
        return result;
    }
}
