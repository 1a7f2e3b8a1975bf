namespace Advex.IO;

using System.Globalization;
using System.Text;

/// <summary>
/// A float32 array in NumPy's <c>.npy</c> format (version 1.0, little-endian <c>&lt;f4</c>, C order), so a saved
/// perturbation opens with <c>numpy.load</c>. Reading is for files from strangers: the header is parsed strictly,
/// the shape is checked against the file length before any allocation, and anything else is refused by name.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const long MaxElements = 1L << 28;

    public static void Write(string path, float[] values, long[] shape)
    {
        if (shape.Aggregate(1L, (a, b) => a * b) != values.Length) throw new ArgumentException("shape does not match the values", nameof(shape));
        var dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape);
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({dims}), }}";
        var padded = header.PadRight(((10 + header.Length + 1 + 63) / 64) * 64 - 10 - 1) + "\n";
        using var stream = new MemoryStream();
        stream.Write(Magic);
        stream.Write([1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)padded.Length));
        stream.Write(Encoding.ASCII.GetBytes(padded));
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts");
        stream.Write(bytes);
        AtomicFile.WriteAllBytes(path, stream.ToArray());
    }

    public static (float[] Values, long[] Shape) Read(string path)
    {
        var kind = FileKinds.Of(path, followLinks: true);
        if (kind != FileKind.Regular) throw new AdvexException($"{path} is {kind.Describe()}, not a regular .npy file");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic))
            throw new AdvexException($"{path} is not a .npy file (no \\x93NUMPY magic)");
        if (bytes[6] != 1 || bytes[7] != 0) throw new AdvexException($"{path}: .npy version {bytes[6]}.{bytes[7]} is not supported (1.0 only)");
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        if (10 + headerLength > bytes.Length) throw new AdvexException($"{path}: .npy header runs past the end of the file");
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        if (!header.Contains("'descr': '<f4'")) throw new AdvexException($"{path}: only little-endian float32 (<f4) arrays are supported");
        if (!header.Contains("'fortran_order': False")) throw new AdvexException($"{path}: only C-order arrays are supported");
        var open = header.IndexOf("'shape': (", StringComparison.Ordinal);
        var close = open < 0 ? -1 : header.IndexOf(')', open);
        if (close < 0) throw new AdvexException($"{path}: .npy header has no shape");
        var shape = new List<long>();
        foreach (var part in header[(open + 10)..close].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            shape.Add(long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d > 0 && d <= MaxElements
                ? d : throw new AdvexException($"{path}: .npy shape entry '{part}' is not a positive size"));
        var count = shape.Aggregate(1L, (a, b) => a * b > MaxElements ? MaxElements + 1 : a * b);
        if (shape.Count == 0 || count > MaxElements) throw new AdvexException($"{path}: .npy shape ({string.Join(",", shape)}) is empty or too large");
        var data = 10 + headerLength;
        if (bytes.Length - data != count * 4)
            throw new AdvexException($"{path}: .npy holds {bytes.Length - data} data bytes, its shape ({string.Join(",", shape)}) needs {count * 4}");
        var values = new float[count];
        Buffer.BlockCopy(bytes, data, values, 0, (int)(count * 4));
        return (values, [.. shape]);
    }
}
