namespace Advex.Tests.Docs;

using System.Text.RegularExpressions;
using Advex.Tests.Support;
using Advex.Workflows;

/// <summary>The docs describe the demo the code runs: getting-started.md's step table has one row per step the demo
/// prints, and docs/measured.md (written by scripts/measure-docs.sh) counted as many steps when it last ran.</summary>
public sealed partial class DemoStepsTests
{
    [Fact]
    public void Getting_started_lists_every_step_of_the_demo()
    {
        var text = File.ReadAllText(Path.Combine(Paths.Root, "docs", "getting-started.md"));
        var rows = StepRow().Matches(text).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        Assert.Equal(Enumerable.Range(1, DemoWorkflow.Steps), rows);
        Assert.Contains($"in {Words[DemoWorkflow.Steps]} steps", text);
    }

    [Fact]
    public void Measured_figures_counted_the_demos_steps()
    {
        var text = File.ReadAllText(Path.Combine(Paths.Root, "docs", "measured.md"));
        Assert.Contains("scripts/measure-docs.sh", text);
        foreach (Match m in MeasuredSteps().Matches(text)) Assert.Equal(DemoWorkflow.Steps, int.Parse(m.Groups[1].Value));
        Assert.NotEmpty(MeasuredSteps().Matches(text));
    }

    private static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];

    [GeneratedRegex(@"^\| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex StepRow();

    [GeneratedRegex(@"^\| steps \| (\d+) \|", RegexOptions.Multiline)]
    private static partial Regex MeasuredSteps();
}
