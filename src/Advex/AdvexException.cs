namespace Advex;

/// <summary>
/// A problem with the user's input (file, option, model) that the user can fix. The command line prints the message
/// as one line and exits with code 2; the message names the offending file or value and what is wrong.
/// </summary>
public class AdvexException(string message, Exception? inner = null) : Exception(message, inner);
