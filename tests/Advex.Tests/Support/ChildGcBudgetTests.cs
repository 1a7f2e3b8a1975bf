namespace Advex.Tests.Support;

/// <summary>The runsettings' generation-0 budget reaches the test host and not the CLI children it starts.</summary>
public sealed class ChildGcBudgetTests
{
    [Fact]
    public void The_host_runs_with_the_large_budget_and_children_without_it()
    {
        var config = GC.GetConfigurationVariables();
        Assert.True(config.TryGetValue("GCgen0size", out var size), "the test host did not get Advex.Tests.runsettings");
        Assert.Equal(0x10000000L, Convert.ToInt64(size));
        Assert.Null(Environment.GetEnvironmentVariable(ChildGcBudget.Variable));
    }
}
