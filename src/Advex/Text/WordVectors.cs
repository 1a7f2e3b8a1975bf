namespace Advex.Text;

using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

/// <summary>Pretrained word vectors read from the GloVe text format (<c>token v1 … vD</c> per line, plain or gzipped).</summary>
public sealed class WordVectors
{
    private readonly Dictionary<string, float[]> vectors;

    private WordVectors(Dictionary<string, float[]> vectors, List<string> order, int dimensions)
    {
        this.vectors = vectors;
        Tokens = order;
        Dimensions = dimensions;
    }

    public int Dimensions { get; }

    /// <summary>The tokens in file order.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public bool Contains(string token) => vectors.ContainsKey(token);

    public float[] this[string token] => vectors[token];

    public static WordVectors Load(string path)
    {
        if (!IO.InputFile.Exists(path, "word vectors file")) throw new AdvexException($"word vectors not found: {path}");
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var order = new List<string>();
        var dims = -1;
        var lineNo = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNo++;
            if (line.Length == 0) continue;
            var parts = line.Split(' ');
            if (dims < 0) dims = parts.Length - 1;
            if (parts.Length - 1 != dims || dims < 1)
                throw new AdvexException($"{path}:{lineNo}: {parts.Length - 1} values, expected {dims}");
            var v = new float[dims];
            for (var i = 0; i < dims; i++)
                if (!float.TryParse(parts[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]))
                    throw new AdvexException($"{path}:{lineNo}: '{parts[i + 1]}' is not a number");
            if (!vectors.TryAdd(parts[0], v)) throw new AdvexException($"{path}:{lineNo}: token '{parts[0]}' appears twice");
            order.Add(parts[0]);
        }
        if (dims < 0) throw new AdvexException($"word vectors file is empty: {path}");
        return new WordVectors(vectors, order, dims);
    }

    /// <summary>
    /// An embedding matrix [vocabulary, D] for <paramref name="vocabulary"/>: the pretrained vector where there is one,
    /// zeros for padding, and N(0, σ²) elsewhere (σ = the standard deviation of all pretrained values), drawn from
    /// torch's global generator so that <c>torch.manual_seed</c> fixes it.
    /// </summary>
    public Tensor Matrix(Vocabulary vocabulary)
    {
        var known = vectors.Values.SelectMany(v => v).Select(x => (double)x).ToArray();
        var mean = known.Average();
        var sd = Math.Sqrt(known.Sum(x => (x - mean) * (x - mean)) / known.Length);
        using var noise = torch.randn(vocabulary.Count, Dimensions);
        var data = noise.data<float>().ToArray();
        for (var i = 0; i < vocabulary.Count; i++)
        {
            var row = data.AsSpan(i * Dimensions, Dimensions);
            if (i == Vocabulary.Pad) row.Clear();
            else if (vectors.TryGetValue(vocabulary.Tokens[i], out var v)) v.CopyTo(row);
            else
                for (var d = 0; d < Dimensions; d++) row[d] = (float)(row[d] * sd);
        }
        return torch.tensor(data, [vocabulary.Count, Dimensions]);
    }
}
