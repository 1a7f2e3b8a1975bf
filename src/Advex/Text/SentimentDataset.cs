namespace Advex.Text;

using static TorchSharp.torch;

/// <summary>
/// One split of a sentence classification corpus as token indices: [N, <see cref="MaxLength"/>] padded with
/// <see cref="Vocabulary.Pad"/> (longer sentences are truncated), labels [N] and true lengths. Batches are cut to
/// the longest sentence in the batch (at least <see cref="MinBatchLength"/> positions, the widest convolution).
/// </summary>
public sealed class SentimentDataset : IDisposable
{
    public const int MinBatchLength = 5;

    private readonly Tensor ids;
    private readonly Tensor labels;
    private readonly int[] lengths;

    public SentimentDataset(string split, IReadOnlyList<Sentence> sentences, Vocabulary vocabulary, int maxLength,
        string[] classNames)
    {
        if (maxLength < MinBatchLength) throw new AdvexException($"max length must be at least {MinBatchLength} (got {maxLength})");
        Split = split;
        MaxLength = maxLength;
        ClassNames = classNames;
        Sentences = sentences;
        var flat = new long[sentences.Count * maxLength];
        lengths = new int[sentences.Count];
        for (var i = 0; i < sentences.Count; i++)
        {
            var tokens = Tokenizer.Tokenize(sentences[i].Text);
            lengths[i] = Math.Min(tokens.Count, maxLength);
            vocabulary.Encode(tokens, maxLength).CopyTo(flat, i * maxLength);
        }
        ids = tensor(flat, [sentences.Count, maxLength], ScalarType.Int64);
        labels = tensor(sentences.Select(s => (long)s.Label).ToArray(), ScalarType.Int64);
    }

    public string Split { get; }
    public int MaxLength { get; }
    public string[] ClassNames { get; }
    public IReadOnlyList<Sentence> Sentences { get; }
    public int Count => lengths.Length;

    /// <summary>Token indices [n, L] (L = the batch's longest sentence, at least 5) and labels [n].</summary>
    public (Tensor Ids, Tensor Y) Batch(long[] indices)
    {
        var length = Math.Max(MinBatchLength, indices.Max(i => lengths[i]));
        using var idx = tensor(indices, ScalarType.Int64);
        using var rows = ids.index_select(0, idx);
        return (rows.narrow(1, 0, length).contiguous(), labels.index_select(0, idx));
    }

    public void Dispose()
    {
        ids.Dispose();
        labels.Dispose();
    }
}
