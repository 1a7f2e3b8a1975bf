namespace Advex.Cli;

using System.CommandLine;
using System.Text.RegularExpressions;

/// <summary>
/// Library messages name parameters (<see cref="AdvexException.Parameters"/>: <c>plateau needs lr-schedule constant</c>);
/// the user of <c>advex</c> needs the flags (<c>--plateau needs --lr-schedule constant</c>). A parameter becomes
/// <c>--name</c> when the running command has that option, else the command's flag from <see cref="Aliases"/>, else
/// it stays as it is.
/// </summary>
public static class FlagNames
{
    /// <summary>Parameters whose flag has another name, in order of preference.</summary>
    private static readonly Dictionary<string, string[]> Aliases = new()
    {
        ["out-dir"] = ["--out"],
        ["architecture"] = ["--arch", "--model"],
        ["queries"] = ["--steps"],
        ["target"] = ["--targeted"],
    };

    public static string Message(Exception e, Command command)
    {
        if (e is not AdvexException { Parameters.Count: > 0 } p) return e.Message;
        var flags = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet();
        var message = p.Message;
        foreach (var name in p.Parameters.Distinct())
        {
            var flag = flags.Contains("--" + name) ? "--" + name : Aliases.GetValueOrDefault(name, []).FirstOrDefault(flags.Contains);
            // whole words only: not inside another name, a flag or a path
            if (flag != null) message = Regex.Replace(message, $@"(?<![\w\-/.]){Regex.Escape(name)}(?![\w\-/])", flag);
        }
        return message;
    }
}
