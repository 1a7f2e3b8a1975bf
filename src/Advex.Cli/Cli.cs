namespace Advex.Cli;

using System.CommandLine;
using Advex.Cli.Commands;

/// <summary>
/// The <c>advex</c> entry point. Errors a user can fix (bad options, missing or malformed files, unusable models)
/// print one line on stderr and exit with code 2; anything else is a bug and exits with 1.
/// </summary>
public static class Cli
{
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var ui = new Ui(stdout, stderr, quiet: args.Contains("--quiet") || Console.IsOutputRedirected || stdout != Console.Out);
        var root = new RootCommand("Advex: adversarial machine learning for .NET (TorchSharp).")
        {
            TrainCommand.Create(ui),
            EvalCommand.Create(ui),
            DemoCommand.Create(ui),
            AttackCommand.Create(ui),
            OptimizersCommand.Create(ui),
            TextCommand.Create(ui),
            ReportCommand.Create(ui),
            GanCommand.Create(ui),
            AdvGanCommand.Create(ui),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"error: {parsed.Errors[0].Message} (see advex --help)");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
            });
        }
        catch (Exception e) when (Unwrap(e) is AdvexException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {OneLine(Unwrap(e).Message)}");
            if (Environment.GetEnvironmentVariable("ADVEX_DEBUG") == "1") stderr.WriteLine(e);
            return UsageError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"internal error ({Unwrap(e).GetType().Name}): {OneLine(Unwrap(e).Message)}");
            if (Environment.GetEnvironmentVariable("ADVEX_DEBUG") == "1") stderr.WriteLine(e);
            return 1;
        }
    }

    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException != null
            ? Unwrap(e.InnerException)
            : e;

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
