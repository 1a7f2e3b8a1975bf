namespace Advex.IO;

using System.Runtime.InteropServices;

/// <summary>
/// Reads Advex's own binary checkpoint files (counts followed by float arrays), which are still untrusted: every
/// declared count is checked against the bytes left in the file before anything is allocated, so a damaged or
/// crafted file is one message naming it, never an out-of-memory, an overflow or an end-of-stream trace.
/// </summary>
public sealed class CountedReader : IDisposable
{
    private readonly FileStream stream;
    private readonly BinaryReader reader;
    private readonly string path;
    private readonly string what;

    public CountedReader(string path, string what)
    {
        stream = InputFile.OpenRead(path, what);
        reader = new BinaryReader(stream);
        this.path = path;
        this.what = what;
    }

    private long Left => stream.Length - stream.Position;

    /// <summary>A non-negative count of items of at least <paramref name="itemBytes"/> bytes each that the rest of the
    /// file can hold.</summary>
    public int Count(int itemBytes)
    {
        var n = Need(4) ? reader.ReadInt32() : 0;
        if (n < 0 || (long)n * itemBytes > Left)
            throw Damaged($"it declares {n} items of {itemBytes} bytes or more, and {Left} bytes are left");
        return n;
    }

    public long Int64() => Need(8) ? reader.ReadInt64() : 0;

    /// <summary>A float32 array preceded by its length.</summary>
    public float[] Floats()
    {
        var values = new float[Count(sizeof(float))];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    private bool Need(int bytes) => Left >= bytes ? true : throw Damaged("it ends early");

    private AdvexException Damaged(string why) => new($"{what} {path} is damaged: {why}");

    public void Dispose()
    {
        reader.Dispose();
        stream.Dispose();
    }
}
