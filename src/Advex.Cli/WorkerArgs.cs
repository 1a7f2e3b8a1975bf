namespace Advex.Cli;

using System.CommandLine;
using System.CommandLine.Parsing;

/// <summary>What <c>--workers</c> passes on to its worker processes.</summary>
public static class WorkerArgs
{
    /// <summary>The command line for a worker: everything after the command (<c>eval</c>, <c>certify</c>) except the
    /// output, shard and worker options (the workers get their own).</summary>
    public static List<string> Of(ParseResult p)
    {
        string[] own = ["--workers", "--out", "--shard", "--resume", "--json", "--report", "--quiet"];
        var args = new List<string>();
        var skipping = false;
        foreach (var t in p.Tokens.Skip(1))
        {
            if (t.Type == TokenType.Option) skipping = own.Contains(t.Value);
            else if (t.Type != TokenType.Argument) skipping = false;
            if (!skipping) args.Add(t.Value);
        }
        return args;
    }
}
