namespace Advex.Defenses;

using System.Runtime.InteropServices;
using Advex.IO;
using static TorchSharp.torch;

/// <summary>
/// The last perturbation δ each training sample received, by its index in the training set, kept off the torch heap
/// (so it needs no disposal) and saved with checkpoints, so that a resumed run starts from the same perturbations.
/// Used by <see cref="FgsmEp"/> to start each epoch's attack where the previous epoch's ended.
/// </summary>
public sealed class PerturbationMemory
{
    private readonly Dictionary<long, float[]> deltas = [];

    /// <summary>How many samples have a stored perturbation.</summary>
    public int Count => deltas.Count;

    /// <summary>The stored δ of each sample of the batch, or <paramref name="fallback"/>'s row where none is stored
    /// yet (shape and dtype of <paramref name="fallback"/>).</summary>
    public Tensor Recall(long[] indices, Tensor fallback)
    {
        if (fallback.shape[0] != indices.Length) throw new ArgumentException("one fallback row per index expected");
        var (rows, size) = Rows(fallback);
        for (var i = 0; i < indices.Length; i++)
            if (deltas.TryGetValue(indices[i], out var d)) d.CopyTo(rows.AsSpan(i * size, size));
        var recalled = tensor(rows, fallback.shape);
        if (recalled.dtype == fallback.dtype && recalled.device_type == fallback.device_type) return recalled;
        using (recalled) return recalled.to(fallback.dtype, fallback.device);
    }

    /// <summary>Stores row i of <paramref name="delta"/> as the perturbation of sample indices[i].</summary>
    public void Store(long[] indices, Tensor delta)
    {
        if (delta.shape[0] != indices.Length) throw new ArgumentException("one perturbation per index expected");
        var (rows, size) = Rows(delta);
        for (var i = 0; i < indices.Length; i++)
        {
            var row = rows.AsSpan(i * size, size);
            if (deltas.TryGetValue(indices[i], out var d) && d.Length == size) row.CopyTo(d);
            else deltas[indices[i]] = row.ToArray();
        }
    }

    /// <summary>A batch as one float array, row after row, and the length of a row.</summary>
    private static (float[] Rows, int Size) Rows(Tensor batch)
    {
        using var flat = batch.detach().flatten(1).to(ScalarType.Float32).contiguous().cpu();
        return (flat.data<float>().ToArray(), (int)flat.shape[1]);
    }

    public void Save(string path) => AtomicFile.Write(path, tmp =>
    {
        using var w = new BinaryWriter(File.Create(tmp));
        w.Write(deltas.Count);
        foreach (var (index, d) in deltas.OrderBy(kv => kv.Key))
        {
            w.Write(index);
            w.Write(d.Length);
            w.Write(MemoryMarshal.AsBytes(d.AsSpan()));
        }
    });

    public void Load(string path)
    {
        deltas.Clear();
        using var r = new IO.CountedReader(path, "perturbation memory");
        var count = r.Count(sizeof(long) + sizeof(int));
        for (var i = 0; i < count; i++)
        {
            var index = r.Int64();
            deltas[index] = r.Floats();
        }
    }
}
