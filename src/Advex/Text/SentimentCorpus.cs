namespace Advex.Text;

using TorchSharp;
using static TorchSharp.torch;

/// <summary>
/// The embedded sentiment corpus (<c>data/sentiment</c>, DESIGN §6): 3,000 labelled sentences with a fixed
/// 2,400 / 300 / 300 split and GloVe 100-d vectors. The vocabulary holds the training tokens (by frequency) and then
/// every other token that has a vector, so validation and test words that GloVe knows keep their meaning; the rest
/// map to <see cref="Vocabulary.Unknown"/>.
/// </summary>
public sealed class SentimentCorpus : IDisposable
{
    public const string SentencesFile = "sentences.tsv";
    public const string VectorsFile = "glove-100d.txt.gz";
    public static readonly string[] ClassNames = ["negative", "positive"];
    public static readonly string[] Splits = ["train", "val", "test"];

    private SentimentCorpus(string dir, Vocabulary vocabulary, WordVectors vectors, SentimentDataset train,
        SentimentDataset val, SentimentDataset test)
    {
        Dir = dir;
        Vocabulary = vocabulary;
        Vectors = vectors;
        Train = train;
        Val = val;
        Test = test;
    }

    public string Dir { get; }
    public Vocabulary Vocabulary { get; }
    public WordVectors Vectors { get; }
    public SentimentDataset Train { get; }
    public SentimentDataset Val { get; }
    public SentimentDataset Test { get; }

    /// <summary>Where the embedded corpus lives: next to the assembly (copied at build), else the repository's data/.</summary>
    public static string EmbeddedDir()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "data", "sentiment");
        if (File.Exists(Path.Combine(beside, SentencesFile))) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "data", "sentiment");
            if (File.Exists(Path.Combine(candidate, SentencesFile))) return candidate;
        }
        throw new AdvexException("embedded sentiment data not found (expected data/sentiment next to the program)");
    }

    public static SentimentCorpus Load(string? dir = null, int maxLength = 64)
    {
        dir ??= EmbeddedDir();
        if (!Directory.Exists(dir)) throw new AdvexException($"data folder not found: {dir}");
        var sentences = ReadSentences(Path.Combine(dir, SentencesFile));
        var vectors = WordVectors.Load(Path.Combine(dir, VectorsFile));
        var bySplit = Splits.ToDictionary(s => s, s => sentences.Where(x => x.Split == s).ToList());
        foreach (var (split, list) in bySplit)
            if (list.Count == 0) throw new AdvexException($"{Path.Combine(dir, SentencesFile)}: no {split} sentences");
        var vocabulary = Vocabulary.Build(bySplit["train"].Select(s => (IReadOnlyList<string>)Tokenizer.Tokenize(s.Text)),
            vectors.Tokens);
        return new SentimentCorpus(dir, vocabulary, vectors,
            new SentimentDataset("train", bySplit["train"], vocabulary, maxLength, ClassNames),
            new SentimentDataset("val", bySplit["val"], vocabulary, maxLength, ClassNames),
            new SentimentDataset("test", bySplit["test"], vocabulary, maxLength, ClassNames));
    }

    /// <summary>The initial embedding matrix [vocabulary, 100] (see <see cref="WordVectors.Matrix"/>).</summary>
    public Tensor InitialEmbeddings() => Vectors.Matrix(Vocabulary);

    /// <summary>Reads <c>split&lt;TAB&gt;label&lt;TAB&gt;source&lt;TAB&gt;text</c> lines; labels 0 or 1.</summary>
    public static List<Sentence> ReadSentences(string path)
    {
        if (!IO.InputFile.Exists(path, "sentences file")) throw new AdvexException($"sentences file not found: {path}");
        var list = new List<Sentence>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Length == 0) continue;
            var parts = line.Split('\t');
            if (parts.Length != 4) throw new AdvexException($"{path}:{lineNo}: {parts.Length} fields, expected split, label, source, text");
            if (!Splits.Contains(parts[0])) throw new AdvexException($"{path}:{lineNo}: unknown split '{parts[0]}'");
            if (parts[1] is not ("0" or "1")) throw new AdvexException($"{path}:{lineNo}: label '{parts[1]}' is not 0 or 1");
            list.Add(new Sentence(parts[0], parts[1][0] - '0', parts[2], parts[3]));
        }
        return list;
    }

    public void Dispose()
    {
        Train.Dispose();
        Val.Dispose();
        Test.Dispose();
    }
}
