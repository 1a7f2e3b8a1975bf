namespace Advex;

/// <summary>
/// A problem with the user's input (file, option, model) that the user can fix. The command line prints the message
/// as one line and exits with code 2; the message names the offending file or value and what is wrong.
/// </summary>
public class AdvexException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// The parameters the message names, in the kebab-case the options records and <see cref="Validation.Check"/> use
    /// (<c>lr-schedule</c>, <c>batch-size</c>). Every whole-word occurrence of one of them in the message is that
    /// parameter, so a front end can put its own name in its place (the CLI puts its flag: <c>--lr-schedule</c>).
    /// </summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];

    /// <summary>An exception whose message names these parameters.</summary>
    public static AdvexException About(string message, params string[] parameters) => new(message) { Parameters = parameters };
}
