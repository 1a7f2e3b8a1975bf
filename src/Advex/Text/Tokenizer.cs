namespace Advex.Text;

/// <summary>
/// Splits English text into lower-case word tokens, the way <c>scripts/import_sentiment.py</c> does (the two must
/// agree; a test checks them against <c>data/sentiment/vocab.tsv</c>):
/// <list type="number">
/// <item>lower-case (invariant culture); typographic apostrophes (’ ‘) and backticks become <c>'</c>;</item>
/// <item>a token is a run of letters or digits, optionally joined by single apostrophes (<c>o'clock</c>); every other
///   character (punctuation, symbols, spaces, leading or trailing quotes) separates tokens and is dropped;</item>
/// <item>English clitics are split off the end, as GloVe's tokenizer does: <c>don't → do n't</c>,
///   <c>it's → it 's</c>, <c>they're</c>, <c>I've</c>, <c>we'll</c>, <c>I'd</c>, <c>I'm</c>; <c>can't → can n't</c>,
///   <c>won't → will n't</c>, <c>shan't → shall n't</c>.</item>
/// </list>
/// </summary>
public static class Tokenizer
{
    private static readonly string[] Clitics = ["n't", "'s", "'re", "'ve", "'ll", "'d", "'m"];

    private static readonly Dictionary<string, string> NegatedStems = new()
    {
        ["ca"] = "can", ["wo"] = "will", ["sha"] = "shall",
    };

    public static List<string> Tokenize(string text)
    {
        var s = text.ToLowerInvariant().Replace('\u2019', '\'').Replace('\u2018', '\'').Replace('`', '\'');
        var tokens = new List<string>();
        var i = 0;
        while (i < s.Length)
        {
            if (!IsWordChar(s, i))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < s.Length && (IsWordChar(s, i) || (s[i] == '\'' && i + 1 < s.Length && IsWordChar(s, i + 1))))
                i++;
            AddWord(s[start..i], tokens);
        }
        return tokens;
    }

    private static void AddWord(string word, List<string> tokens)
    {
        var tail = new List<string>();
        var negated = false;
        var peeled = true;
        while (peeled && word.Contains('\''))
        {
            peeled = false;
            foreach (var clitic in Clitics)
            {
                if (word.Length <= clitic.Length || !word.EndsWith(clitic, StringComparison.Ordinal)) continue;
                var stem = word[..^clitic.Length];
                if (stem.EndsWith('\'')) continue;
                tail.Insert(0, clitic);
                negated |= clitic == "n't";
                word = stem;
                peeled = true;
                break;
            }
        }
        if (negated && NegatedStems.TryGetValue(word, out var full)) word = full;
        tokens.Add(word);
        tokens.AddRange(tail);
    }

    /// <summary>A letter or a decimal digit. Python's <c>[^\W_]</c> also admits other numerals (², Ⅻ); none occurs in the
    /// corpus.</summary>
    private static bool IsWordChar(string s, int i) => char.IsLetterOrDigit(s[i]);
}
