namespace Advex.Defenses;

using System.Runtime.InteropServices;
using Advex.IO;
using static TorchSharp.torch;

/// <summary>A copy of a module's float32 state (parameters and buffers, in state_dict order), kept off the torch
/// heap so it needs no disposal; restorable into the same architecture and savable in checkpoints.</summary>
public sealed class WeightSnapshot
{
    private readonly float[][] values;

    private WeightSnapshot(float[][] values) => this.values = values;

    public static WeightSnapshot Of(nn.Module module)
    {
        using var _ = no_grad();
        return new(module.state_dict().Values.Select(t =>
        {
            if (t.dtype != ScalarType.Float32) throw new AdvexException($"weight snapshot needs float32 tensors (got {t.dtype})");
            using var c = t.detach().contiguous().cpu();
            return c.data<float>().ToArray();
        }).ToArray());
    }

    public void RestoreInto(nn.Module module)
    {
        using var _ = no_grad();
        var tensors = module.state_dict().Values.ToArray();
        if (tensors.Length != values.Length || tensors.Where((t, i) => t.numel() != values[i].Length).Any())
            throw new AdvexException("weight snapshot does not match the model's architecture");
        for (var i = 0; i < tensors.Length; i++)
        {
            using var v = tensor(values[i]).reshape(tensors[i].shape);
            tensors[i].copy_(v);
        }
    }

    public void Save(string path) => AtomicFile.Write(path, tmp =>
    {
        using var w = new BinaryWriter(File.Create(tmp));
        w.Write(values.Length);
        foreach (var v in values)
        {
            w.Write(v.Length);
            w.Write(MemoryMarshal.AsBytes(v.AsSpan()));
        }
    });

    public static WeightSnapshot Load(string path)
    {
        using var r = new CountedReader(path, "weight snapshot");
        var values = new float[r.Count(sizeof(int))][];
        for (var i = 0; i < values.Length; i++) values[i] = r.Floats();
        return new(values);
    }
}
