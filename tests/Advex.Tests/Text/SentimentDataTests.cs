namespace Advex.Tests.Text;

using System.IO.Compression;
using System.Security.Cryptography;
using Advex.Text;

public sealed class SentimentDataTests
{
    [Fact]
    public void Embedded_sentiment_data_matches_its_checksums()
    {
        var dir = SentimentCorpus.EmbeddedDir();
        var lines = File.ReadAllLines(Path.Combine(dir, "SHA256SUMS"));
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            var parts = line.Split("  ");
            var path = Path.Combine(dir, parts[1]);
            using var stream = File.Exists(path)
                ? (Stream)File.OpenRead(path)
                : new GZipStream(File.OpenRead(path + ".gz"), CompressionMode.Decompress);
            Assert.Equal(parts[0], Convert.ToHexStringLower(SHA256.HashData(stream)));
        }
    }

    [Fact]
    public void Corpus_has_the_fixed_stratified_2400_300_300_split()
    {
        var sentences = SentimentCorpus.ReadSentences(Path.Combine(SentimentCorpus.EmbeddedDir(), SentimentCorpus.SentencesFile));
        Assert.Equal(3000, sentences.Count);
        foreach (var (split, perStratum) in new[] { ("train", 400), ("val", 50), ("test", 50) })
            foreach (var source in new[] { "imdb", "yelp", "amazon" })
                foreach (var label in new[] { 0, 1 })
                    Assert.Equal(perStratum, sentences.Count(s => s.Split == split && s.Source == source && s.Label == label));
        // the split is part of the data: the first sentence of each source keeps its place
        Assert.Equal(new Sentence("train", 0, "imdb", "A very, very, very slow-moving, aimless movie about a distressed, drifting young man."), sentences[0]);
        Assert.Equal("yelp", sentences[1000].Source);
        Assert.Equal("Wow... Loved this place.", sentences[1000].Text);

        using var corpus = SentimentCorpus.Load();
        Assert.Equal((2400, 300, 300), (corpus.Train.Count, corpus.Val.Count, corpus.Test.Count));
        Assert.Equal(100, corpus.Vectors.Dimensions);
        Assert.Equal(4899, corpus.Vectors.Tokens.Count);
        Assert.Equal("<pad>", corpus.Vocabulary.Tokens[Vocabulary.Pad]);
        Assert.Equal("<unk>", corpus.Vocabulary.Tokens[Vocabulary.Unknown]);
        Assert.Equal("the", corpus.Vocabulary.Tokens[2]);
        var (ids, y) = corpus.Train.Batch([0, 1, 2]);
        using (ids)
        using (y)
        {
            Assert.Equal(3, ids.shape[0]);
            Assert.Equal(Tokenizer.Tokenize(sentences[2].Text).Count, (int)ids.shape[1]);
            Assert.Equal([0L, 0, 0], y.data<long>().ToArray());
            Assert.Equal(corpus.Vocabulary["very"], ids[0, 1].item<long>());
        }
    }

    [Fact]
    public void Csharp_tokenizer_agrees_with_the_import_script_on_every_sentence()
    {
        var dir = SentimentCorpus.EmbeddedDir();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in SentimentCorpus.ReadSentences(Path.Combine(dir, SentimentCorpus.SentencesFile)))
            foreach (var t in Tokenizer.Tokenize(s.Text))
                counts[t] = counts.GetValueOrDefault(t) + 1;
        var expected = File.ReadAllLines(Path.Combine(dir, "vocab.tsv")).Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => int.Parse(p[1]), StringComparer.Ordinal);
        Assert.Equal(expected.OrderBy(kv => kv.Key, StringComparer.Ordinal), counts.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Missing_data_folder_is_named()
    {
        var e = Assert.Throws<AdvexException>(() => SentimentCorpus.Load("/nonexistent/sentiment"));
        Assert.Contains("/nonexistent/sentiment", e.Message);
    }
}
