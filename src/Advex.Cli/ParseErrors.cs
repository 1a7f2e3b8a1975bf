namespace Advex.Cli;

using System.CommandLine;
using System.Text.RegularExpressions;

/// <summary>
/// Turns System.CommandLine's parse errors into messages that name what the user typed: an unknown command or option
/// with the nearest valid name, a value that is not a number (never a .NET type name), a missing sub-command.
/// </summary>
public static partial class ParseErrors
{
    [GeneratedRegex(@"^Cannot parse argument '(.*)' for option '(.*)' as expected type '(.*)'\.?$")]
    private static partial Regex BadValue();

    public static string Describe(ParseResult parsed, string[] args)
    {
        var command = parsed.CommandResult.Command;
        var name = CommandPath(parsed);
        if (parsed.UnmatchedTokens.Count > 0)
        {
            var token = parsed.UnmatchedTokens[0];
            var at = Array.IndexOf(args, token);
            if (at > 0 && command.Options.FirstOrDefault(o => o.Name == args[at - 1] || o.Aliases.Contains(args[at - 1])) is
                    { ValueType: var t } option && (t == typeof(bool) || t == typeof(bool?)))
                return $"{option.Name} takes true or false (got '{token}')";
            if (token.StartsWith('-'))
                return $"unknown option '{token}' for {name}" +
                       Suggest(token, command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)));
            if (command.Subcommands.Count > 0)
                return $"unknown command '{token}'{(command.Name == Cli.ToolName ? "" : $" for {name}")}" +
                       Suggest(token, command.Subcommands.Select(c => c.Name));
            return $"unexpected argument '{token}' for {name}";
        }
        var message = parsed.Errors[0].Message;
        if (BadValue().Match(message) is { Success: true } m)
            return $"{m.Groups[2].Value}: '{m.Groups[1].Value}' is not {Expected(m.Groups[3].Value)}";
        if (command.Subcommands.Count > 0 && message.StartsWith("Required command", StringComparison.Ordinal))
            return $"{name} needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}";
        return message.TrimEnd('.');
    }

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r != null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command.Name);
        return string.Join(' ', names);
    }

    private static string Expected(string type) => type switch
    {
        _ when type.Contains("Int32") => "a whole number up to 2147483647",
        _ when type.Contains("Int64") => "a whole number",
        _ when type.Contains("Double") || type.Contains("Single") => "a number",
        _ when type.Contains("Boolean") => "true or false",
        _ => "a valid value",
    };

    /// <summary>" (did you mean 'x'?)" for the nearest name by edit distance or prefix, or "".</summary>
    public static string Suggest(string typed, IEnumerable<string> names)
    {
        var best = names.Distinct()
            .Select(n => (Name: n, Distance: typed.StartsWith(n, StringComparison.Ordinal) || n.StartsWith(typed, StringComparison.Ordinal)
                ? 1 : Levenshtein(typed, n)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name != null && best.Distance <= Math.Max(2, typed.Length / 3) ? $" (did you mean '{best.Name}'?)" : "";
    }

    private static int Levenshtein(string a, string b)
    {
        var d = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) d[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = d[0];
            d[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = d[j];
                d[j] = Math.Min(Math.Min(d[j] + 1, d[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return d[b.Length];
    }
}
