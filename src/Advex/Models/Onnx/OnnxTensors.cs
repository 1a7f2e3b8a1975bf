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
                return tensor(raw.Length > 0 ? MemoryMarshal.Cast<byte, float>(raw).ToArray() : t.FloatData.ToArray(), dims);
            case DataType.Double when keepFloat64:
                return tensor(raw.Length > 0 ? MemoryMarshal.Cast<byte, double>(raw).ToArray() : t.DoubleData.ToArray(), dims);
            case DataType.Double:
                return Floats(raw.Length > 0 ? MemoryMarshal.Cast<byte, double>(raw).ToArray() : t.DoubleData.ToArray(), dims);
            case DataType.Float16:
                return Floats(raw.Length > 0
                    ? MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (double)h).ToArray()
                    : t.Int32Data.Select(b => (double)BitConverter.UInt16BitsToHalf((ushort)b)).ToArray(), dims);
            case DataType.Bfloat16:
                return Floats(raw.Length > 0
                    ? MemoryMarshal.Cast<byte, ushort>(raw).ToArray().Select(BFloat16).ToArray()
                    : t.Int32Data.Select(b => BFloat16((ushort)b)).ToArray(), dims);
            case DataType.Int64:
                return tensor(raw.Length > 0 ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : t.Int64Data.ToArray(), dims);
            case DataType.Int32:
                return Longs(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, int>(raw)) : Widen(t.Int32Data), dims);
            case DataType.Int16:
                return Longs(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, short>(raw)) : Widen(t.Int32Data), dims);
            case DataType.Int8:
                return Longs(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, sbyte>(raw)) : Widen(t.Int32Data), dims);
            case DataType.Uint8:
                return Longs(raw.Length > 0 ? Widen(raw) : Widen(t.Int32Data), dims);
            case DataType.Uint16:
                return Longs(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, ushort>(raw)) : Widen(t.Int32Data), dims);
            case DataType.Uint32:
                return Longs(raw.Length > 0 ? Widen(MemoryMarshal.Cast<byte, uint>(raw)) : Widen(t.Uint64Data), dims);
            case DataType.Bool:
                return tensor((raw.Length > 0 ? Widen(raw) : Widen(t.Int32Data)).Select(v => v != 0).ToArray(), dims);
            default:
                throw new OnnxUnsupportedException($"{where}: tensor '{t.Name}' has data type {type}, which is not supported");
        }
    }

    private static Tensor Floats(double[] values, long[] dims) => tensor(values.Select(v => (float)v).ToArray(), dims);

    private static Tensor Longs(long[] values, long[] dims) => tensor(values, dims);

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
