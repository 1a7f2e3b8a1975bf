namespace Advex.Tests.Support;

/// <summary>Runs <c>advex</c> in-process with stdout and stderr captured.</summary>
public static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Out, string Err);

    public static Outcome Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Advex.Cli.Cli.Run(args, stdout, stderr);
        return new Outcome(code, stdout.ToString(), stderr.ToString());
    }
}
