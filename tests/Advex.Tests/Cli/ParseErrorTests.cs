namespace Advex.Tests.Cli;

using Advex.Cli;

public sealed class ParseErrorTests
{
    [Theory]
    [InlineData("evaluate", "eval")]
    [InlineData("trian", "train")]
    [InlineData("--epsilon", "--eps")]
    [InlineData("--stepsize", "--step-size")]
    public void The_nearest_name_is_suggested(string typed, string expected) =>
        Assert.Equal($" (did you mean '{expected}'?)",
            ParseErrors.Suggest(typed, ["train", "eval", "demo", "attack", "--eps", "--steps", "--step-size"]));

    [Fact]
    public void A_name_far_from_every_option_gets_no_suggestion() =>
        Assert.Equal("", ParseErrors.Suggest("frobnicate", ["train", "eval", "demo"]));
}
