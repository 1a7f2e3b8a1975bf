namespace Advex.Tests.Support;

/// <summary>The runsettings' generation-0 budget reaches the test host and not the CLI children it starts.</summary>
public sealed class ChildGcBudgetTests
{
    [Fact]
    public void The_host_runs_with_the_large_budget_and_children_without_it()
    {
        Assert.True(ChildGcBudget.HostBudget == "0x10000000", $"the test host did not get Advex.Tests.runsettings ({ChildGcBudget.Variable}={ChildGcBudget.HostBudget})");
        Assert.Null(Environment.GetEnvironmentVariable(ChildGcBudget.Variable));
    }
}
