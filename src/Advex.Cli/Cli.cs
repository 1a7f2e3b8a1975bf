namespace Advex.Cli;

using System.CommandLine;
using System.Runtime.InteropServices;
using Advex.Cli.Commands;
using Advex.Native;

/// <summary>
/// The <c>advex</c> entry point. Errors a user can fix (bad options, missing or malformed files, unusable models,
/// failures inside libtorch caused by the input, running out of memory) print one line on stderr and exit with code 2;
/// SIGINT and SIGTERM stop the job within one attack step (exit 130 and 143); anything else is a bug and exits with 1.
/// </summary>
public static class Cli
{
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is [Models.TorchScriptProbe.Command, var probed]) return Models.TorchScriptProbe.Run(probed, stderr);
        var ui = new Ui(stdout, stderr, quiet: args.Contains("--quiet") || Console.IsOutputRedirected || stdout != Console.Out,
            commandLine: string.Join(' ', args.Select(Quote).Prepend("advex")));
        var root = new RootCommand("Advex: adversarial machine learning for .NET (TorchSharp).")
        {
            TrainCommand.Create(ui),
            EvalCommand.Create(ui),
            CertifyCommand.Create(ui),
            MergeCommand.Create(ui),
            DemoCommand.Create(ui),
            AttackCommand.Create(ui),
            OptimizersCommand.Create(ui),
            PredictCommand.Create(ui),
            TextCommand.Create(ui),
            ReportCommand.Create(ui),
            GanCommand.Create(ui),
            AdvGanCommand.Create(ui),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine($"error: {ParseErrors.Describe(parsed, args)} (see advex --help)");
            return UsageError;
        }
        Interruption.Reset();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            return parsed.Invoke(new InvocationConfiguration
            {
                EnableDefaultExceptionHandler = false,
                Output = stdout,
                Error = stderr,
            });
        }
        catch (Exception e) when (Unwrap(e) is InterruptedException stop)
        {
            stderr.WriteLine(OneLine(stop.Message));
            return stop.SignalName == "SIGTERM" ? 143 : 130;
        }
        catch (Exception e) when (Unwrap(e) is AdvexException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {OneLine(FlagNames.Message(Unwrap(e), parsed.CommandResult.Command))}");
            Debug(stderr, e);
            return UsageError;
        }
        catch (Exception e) when (Unwrap(e) is OutOfMemoryException or InsufficientExecutionStackException)
        {
            stderr.WriteLine($"error: advex {parsed.CommandResult.Command.Name} needs more memory than there is: {OneLine(Unwrap(e).Message)}");
            Debug(stderr, e);
            return UsageError;
        }
        catch (Exception e) when (Unwrap(e) is ExternalException native)
        {
            stderr.WriteLine($"error: libtorch failed in advex {parsed.CommandResult.Command.Name}: {NativeErrors.Cause(native.Message)}");
            Debug(stderr, e);
            return UsageError;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"internal error ({Unwrap(e).GetType().Name}): {OneLine(Unwrap(e).Message)}");
            Debug(stderr, e);
            return 1;
        }
    }

    /// <summary>The first SIGINT/SIGTERM asks the job to stop at the next batch; a second one ends the process.</summary>
    private static void Stop(PosixSignalContext context)
    {
        context.Cancel = Interruption.Signal is null;
        Interruption.Request(context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT");
    }

    private static void Debug(TextWriter stderr, Exception e)
    {
        if (Environment.GetEnvironmentVariable("ADVEX_DEBUG") == "1") stderr.WriteLine(e);
    }

    private static string Quote(string arg) => arg.Length > 0 && !arg.Any(char.IsWhiteSpace) ? arg : $"'{arg}'";

    private static Exception Unwrap(Exception e) =>
        e is System.Reflection.TargetInvocationException or AggregateException && e.InnerException != null
            ? Unwrap(e.InnerException)
            : e;

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
