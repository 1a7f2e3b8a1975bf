namespace Advex.Tests.Training;

using Advex.Training;

public sealed class OneCycleTests
{
    [Fact]
    public void One_cycle_rises_to_the_peak_at_two_fifths_and_falls_to_zero()
    {
        Assert.Equal(0, OneCycle.Lr(5e-3, 0));
        Assert.Equal(2.5e-3, OneCycle.Lr(5e-3, 0.2), 12);
        Assert.Equal(5e-3, OneCycle.Lr(5e-3, 0.4), 12);
        Assert.Equal(2.5e-3, OneCycle.Lr(5e-3, 0.7), 12);
        Assert.Equal(0, OneCycle.Lr(5e-3, 1), 12);
    }
}
