namespace Advex.Text;

/// <summary>
/// Token ↔ index. Index 0 is padding (<c>&lt;pad&gt;</c>), 1 is the unknown token (<c>&lt;unk&gt;</c>); then the
/// tokens in the order they were added. Lookups of tokens it does not hold give <see cref="Unknown"/>.
/// </summary>
public sealed class Vocabulary
{
    public const int Pad = 0;
    public const int Unknown = 1;
    public const string PadToken = "<pad>";
    public const string UnknownToken = "<unk>";

    private readonly List<string> tokens = [PadToken, UnknownToken];
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal) { [PadToken] = Pad, [UnknownToken] = Unknown };

    /// <summary>
    /// The training tokens by frequency (ties in ordinal order), then the <paramref name="extra"/> tokens not yet
    /// held (e.g. words of held-out text that have a pretrained vector), in their given order.
    /// </summary>
    public static Vocabulary Build(IEnumerable<IReadOnlyList<string>> trainingTokens, IEnumerable<string>? extra = null)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var sentence in trainingTokens)
            foreach (var t in sentence)
                counts[t] = counts.GetValueOrDefault(t) + 1;
        var vocab = new Vocabulary();
        foreach (var t in counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
            vocab.Add(t.Key);
        foreach (var t in extra ?? []) vocab.Add(t);
        return vocab;
    }

    public int Count => tokens.Count;

    public IReadOnlyList<string> Tokens => tokens;

    public int this[string token] => index.GetValueOrDefault(token, Unknown);

    public bool Contains(string token) => index.ContainsKey(token);

    /// <summary>Indices of the tokens, truncated to <paramref name="maxLength"/> and padded with <see cref="Pad"/> to it.</summary>
    public long[] Encode(IReadOnlyList<string> sentence, int maxLength)
    {
        var ids = new long[maxLength];
        for (var i = 0; i < Math.Min(maxLength, sentence.Count); i++) ids[i] = this[sentence[i]];
        return ids;
    }

    private void Add(string token)
    {
        if (index.ContainsKey(token)) return;
        index[token] = tokens.Count;
        tokens.Add(token);
    }
}
