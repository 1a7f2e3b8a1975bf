namespace Advex.Tests.Cli;

using System.CommandLine;
using Advex.Cli;

/// <summary>Library messages name parameters; the CLI shows the running command's flag for each.</summary>
public sealed class FlagNamesTests
{
    private static readonly Command Train = new("train")
    {
        new Option<bool>("--plateau"), new Option<string>("--lr-schedule"), new Option<string>("--out"),
        new Option<int?>("--adv-steps", "--steps"),
    };

    [Fact]
    public void Each_named_parameter_becomes_the_commands_flag_and_other_words_stay()
    {
        var e = AdvexException.About("plateau needs lr-schedule constant (plateau-factor applies)", "plateau", "lr-schedule");
        Assert.Equal("--plateau needs --lr-schedule constant (plateau-factor applies)", FlagNames.Message(e, Train));
    }

    [Fact]
    public void A_parameter_the_command_lacks_stays_as_named_unless_an_alias_flag_exists()
    {
        Assert.Equal("margin must be probs", FlagNames.Message(AdvexException.About("margin must be probs", "margin"), Train));
        Assert.Equal("resume needs --out", FlagNames.Message(AdvexException.About("resume needs out-dir", "out-dir"), Train));
        Assert.Equal("--adv-steps must be >= 1", FlagNames.Message(AdvexException.About("adv-steps must be >= 1", "adv-steps"), Train));
    }

    [Fact]
    public void Paths_and_longer_names_that_contain_a_parameter_are_left_alone()
    {
        var e = AdvexException.About("out: '/tmp/out/x.json' and out-file and stdout", "out");
        Assert.Equal("--out: '/tmp/out/x.json' and out-file and stdout", FlagNames.Message(e, Train));
    }

    [Fact]
    public void Other_exceptions_keep_their_message()
    {
        Assert.Equal("plateau", FlagNames.Message(new AdvexException("plateau"), Train));
    }
}
