namespace Advex.Models.Onnx;

using System.Runtime.InteropServices;
using global::Onnx;
using static TorchSharp.torch;
using DataType = global::Onnx.TensorProto.Types.DataType;

/// <summary>
/// TensorProto → torch tensor. Floating types become float32 and integer types int64 (the dtype every shape-like
/// tensor has in ONNX), bool stays bool; values come from <c>raw_data</c> (little-endian) or the typed fields.
/// Tensors stored as external data are refused: a model must be one self-contained file.
/// </summary>
public static class OnnxTensors
{
    /// <param name="t">the tensor</param>
    /// <param name="where">the file or node it comes from, for messages</param>
    /// <param name="keepFloat64">keep DOUBLE tensors as float64 (test data whose values float32 cannot hold)</param>
    public static Tensor ToTensor(TensorProto t, string where, bool keepFloat64 = false)
    {
        if (t.DataLocation == TensorProto.Types.DataLocation.External || t.ExternalData.Count > 0)
            throw new AdvexException($"{where}: tensor '{t.Name}' is stored as external data, which is not supported");
        var dims = t.Dims.ToArray();
        var raw = t.RawData.Span;
        var type = (DataType)t.DataType;
        switch (type)
        {
            case DataType.Float:
                return raw.Length > 0 ? FromRaw(raw, ScalarType.Float32, sizeof(float), dims, t, where)
                    : Make(t.FloatData.ToArray(), dims, t, where);
            case DataType.Double when keepFloat64:
                return raw.Length > 0 ? FromRaw(raw, ScalarType.Float64, sizeof(double), dims, t, where)
                    : Make(t.DoubleData.ToArray(), dims, t, where);
            case DataType.Double when raw.Length > 0:
                using (var wide = FromRaw(raw, ScalarType.Float64, sizeof(double), dims, t, where))
                    return wide.to(ScalarType.Float32);
            case DataType.Double:
                return MakeFloat32(t.DoubleData.ToArray(), dims, t, where);
            case DataType.Float16:
                return MakeFloat32(raw.Length > 0
                    ? MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (double)h).ToArray()
                    : t.Int32Data.Select(b => (double)BitConverter.UInt16BitsToHalf((ushort)b)).ToArray(), dims, t, where);
            case DataType.Bfloat16:
                return MakeFloat32(raw.Length > 0
                    ? MemoryMarshal.Cast<byte, ushort>(raw).ToArray().Select(BFloat16).ToArray()
                    : t.Int32Data.Select(b => BFloat16((ushort)b)).ToArray(), dims, t, where);
            case DataType.Int64:
                return raw.Length > 0 ? FromRaw(raw, ScalarType.Int64, sizeof(long), dims, t, where)
                    : Make(t.Int64Data.ToArray(), dims, t, where);
            case DataType.Int32:
                return Make(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, int>(raw)) : Widen(t.Int32Data), dims, t, where);
            case DataType.Int16:
                return Make(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, short>(raw)) : Widen(t.Int32Data), dims, t, where);
            case DataType.Int8:
                return Make(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, sbyte>(raw)) : Widen(t.Int32Data), dims, t, where);
            case DataType.Uint8:
                return Make(raw.Length > 0 ? Widen(raw) : Widen(t.Int32Data), dims, t, where);
            case DataType.Uint16:
                return Make(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, ushort>(raw)) : Widen(t.Int32Data), dims, t, where);
            case DataType.Uint32:
                return Make(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, uint>(raw)) : Widen(t.Uint64Data), dims, t, where);
            case DataType.Bool:
                return Make((raw.Length > 0 ? Widen(raw) : Widen(t.Int32Data)).Select(v => v != 0).ToArray(), dims, t, where);
            default:
                throw new OnnxUnsupportedException($"{where}: tensor '{t.Name}' has data type {type}, which is not supported");
        }
    }

    /// <summary>The tensor whose little-endian values are <paramref name="raw"/>, copied straight into native memory
    /// (no managed array in between: a 350 MB ViT would otherwise hold its weights three times while loading).</summary>
    private static Tensor FromRaw(ReadOnlySpan<byte> raw, ScalarType dtype, int size, long[] dims, TensorProto t, string where)
    {
        RequireCount(raw.Length / size, raw.Length % size == 0, dims, t, where);
        var result = empty(dims, dtype);
        // TorchSharp's setter takes a Span but only reads it
        result.bytes = MemoryMarshal.CreateSpan(ref MemoryMarshal.GetReference(raw), raw.Length);
        return result;
    }

    private static Tensor MakeFloat32(double[] values, long[] dims, TensorProto t, string where) =>
        Make(values.Select(v => (float)v).ToArray(), dims, t, where);

    /// <summary>The tensor, or an AdvexException when the data does not hold as many values as the dims say.</summary>
    private static Tensor Make<T>(T[] values, long[] dims, TensorProto t, string where) where T : unmanaged
    {
        RequireCount(values.Length, true, dims, t, where);
        return typeof(T) == typeof(float) ? tensor((float[])(object)values, dims)
            : typeof(T) == typeof(double) ? tensor((double[])(object)values, dims)
            : typeof(T) == typeof(long) ? tensor((long[])(object)values, dims)
            : tensor((bool[])(object)values, dims);
    }

    /// <summary>An AdvexException unless the data holds whole values, as many as the dims say.</summary>
    private static void RequireCount(long values, bool whole, long[] dims, TensorProto t, string where)
    {
        if (dims.Any(d => d < 0) || !whole || values != dims.Aggregate(1L, (p, d) => p * d))
            throw new AdvexException(
                $"{where}: tensor '{t.Name}' has {values} values for dims [{string.Join(",", dims)}] (the file is corrupt)");
    }

    private static double BFloat16(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    private static long[] Widen<T>(ReadOnlySpan<T> values) where T : struct, IConvertible
    {
        var result = new long[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = values[i].ToInt64(null);
        return result;
    }

    private static long[] Widen<T>(IEnumerable<T> values) where T : struct, IConvertible =>
        values.Select(v => v.ToInt64(null)).ToArray();
}
