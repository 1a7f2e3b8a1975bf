namespace Advex;

/// <summary>
/// An <see cref="AdvexException"/> whose message names one or more parameters, in the kebab-case the options records
/// and <see cref="Validation.Check"/> use (<c>lr-schedule</c>, <c>batch-size</c>). Every whole-word occurrence of a
/// listed name in the message is that parameter, so a front end can put its own name in its place (the CLI puts the
/// flag: <c>--lr-schedule</c>).
/// </summary>
public sealed class ParameterException(string message, params string[] parameters) : AdvexException(message)
{
    public IReadOnlyList<string> Parameters { get; } = parameters;
}
