namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// A counter-based random number generator (Salmon et al. 2011, "Parallel random numbers: as easy as 1, 2, 3"; the
/// mixing function is Steele, Lea &amp; Flood's SplitMix64, 2014): the n-th number of a stream is a pure function of
/// (key, n), so any sample's numbers can be computed without drawing anyone else's.
/// <code>
/// mix(z):  z ← (z ⊕ (z ≫ 30))·0xBF58476D1CE4E5B9;  z ← (z ⊕ (z ≫ 27))·0x94D049BB133111EB;  z ⊕ (z ≫ 31)
/// key(k₀, k₁, …) = mix(…mix(mix(k₀) ⊕ k₁)…)         (one 64-bit key per row and draw)
/// bits(key, j)   = mix(key + (j + 1)·γ),  γ = 0x9E3779B97F4A7C15   (element j of the row)
/// uniform        = ((bits ≫ 11) + ½)·2⁻⁵³ ∈ (0, 1)
/// </code>
/// Row keys are computed in 64-bit unsigned integers on the CPU; element bits with int64 tensor ops (wrapping
/// multiplication, logical shifts emulated by masking), or for small draws element by element in C#; all paths give
/// the same bits (tested).
/// </summary>
public static class CounterRng
{
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private const ulong M1 = 0xBF58476D1CE4E5B9UL;
    private const ulong M2 = 0x94D049BB133111EBUL;

    /// <summary>SplitMix64's finaliser on one value.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * M1;
        z = (z ^ (z >> 27)) * M2;
        return z ^ (z >> 31);
    }

    /// <summary>Chains values into one key: mix(…mix(mix(k₀) ⊕ k₁)…).</summary>
    public static ulong Key(params ulong[] parts)
    {
        var h = 0UL;
        foreach (var p in parts) h = Mix(h ^ p);
        return h;
    }

    /// <summary>A 64-bit FNV-1a hash of a name, to key a stream by an attack's name.</summary>
    public static ulong Hash(string name)
    {
        var h = 0xCBF29CE484222325UL;
        foreach (var c in name) h = (h ^ c) * 0x100000001B3UL;
        return h;
    }

    /// <summary>Element j of the row with key k, as unsigned bits (the scalar reference of <see cref="Bits"/>).</summary>
    public static ulong BitsAt(ulong key, long j) => Mix(key + (ulong)(j + 1) * Gamma);

    /// <summary>The uniform (0, 1) value of <see cref="BitsAt"/>.</summary>
    public static double UniformAt(ulong key, long j) => ((BitsAt(key, j) >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Bits [rows, perRow] (int64 holding the unsigned bits) for the given row keys.</summary>
    public static Tensor Bits(ulong[] rowKeys, long perRow)
    {
        using var scope = NewDisposeScope();
        var keys = tensor(rowKeys.Select(k => unchecked((long)k)).ToArray(), ScalarType.Int64).unsqueeze(1);
        var j = arange(1, perRow + 1, dtype: ScalarType.Int64).mul(Long(Gamma)).unsqueeze(0);
        return MixTensor(keys + j).MoveToOuterDisposeScope();
    }

    /// <summary>Draws of at most this many values are computed element by element on the CPU: a tensor op costs
    /// microseconds however small its tensor, so a small draw (Square's window positions and signs, once per query)
    /// is cheaper without the ~15 ops of the tensor path. Both paths give the same bits (tested).</summary>
    public const long ScalarPathLimit = 1 << 16;

    /// <summary>Uniform (0, 1) float64 values [rows, perRow].</summary>
    public static Tensor Uniform(ulong[] rowKeys, long perRow)
    {
        if (rowKeys.Length * perRow <= ScalarPathLimit)
        {
            var values = new double[rowKeys.Length * perRow];
            for (var r = 0; r < rowKeys.Length; r++)
                for (var j = 0L; j < perRow; j++)
                    values[r * perRow + j] = UniformAt(rowKeys[r], j);
            return tensor(values, [rowKeys.Length, perRow], ScalarType.Float64);
        }
        using var scope = NewDisposeScope();
        var bits = ShiftRight(Bits(rowKeys, perRow), 11);
        return bits.to_type(ScalarType.Float64).add_(0.5).mul_(1.0 / (1UL << 53)).MoveToOuterDisposeScope();
    }

    private static Tensor MixTensor(Tensor z)
    {
        using var scope = NewDisposeScope();
        z = z.bitwise_xor(ShiftRight(z, 30)).mul(Long(M1));
        z = z.bitwise_xor(ShiftRight(z, 27)).mul(Long(M2));
        return z.bitwise_xor(ShiftRight(z, 31)).MoveToOuterDisposeScope();
    }

    private static Tensor Long(ulong v) => tensor(unchecked((long)v), ScalarType.Int64);

    /// <summary>Logical (unsigned) right shift of int64 bits: arithmetic shift, then the sign copies masked off.</summary>
    private static Tensor ShiftRight(Tensor z, int s) =>
        z.bitwise_right_shift(Long((ulong)s)).bitwise_and(Long(ulong.MaxValue >> s));
}
