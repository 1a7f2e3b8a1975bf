namespace Advex.Tests.Cli;

using Advex.Tests.Support;

/// <summary><c>advex report</c> from the command line.</summary>
public sealed class ReportCliTests
{
    [Fact]
    public void Report_command_names_a_missing_input()
    {
        var dir = Paths.TempDir();
        var r = CliRunner.Run("report", "--from", Path.Combine(dir, "nope"), "--out", Path.Combine(dir, "r"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nope", r.Err);
    }
}
