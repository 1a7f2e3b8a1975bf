namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;
using DataType = global::Onnx.TensorProto.Types.DataType;

/// <summary>Cast between the dtypes the translation holds (one floating dtype, int64, bool).</summary>
internal static class Casting
{
    /// <summary>
    /// To an integer type: truncating toward zero, wrapping around to the target's width, held as int64. To bool.
    /// To a floating type: float32, and a floating input keeps its dtype, since the translation holds every floating
    /// type in one dtype (float32, or float64 when the module is converted); float16 rounds to its precision first.
    /// Strings, bfloat16 and uint64 are refused.
    /// </summary>
    public static Tensor[] Cast(OnnxNode node, Tensor?[] inputs)
    {
        var x = node.Required(inputs, 0);
        var to = (DataType)node.Int("to", 0);
        return to switch
        {
            DataType.Float or DataType.Double => [x.is_floating_point() ? x.alias() : x.to_type(ScalarType.Float32)],
            // rounded to the narrow type's precision, then held in the wide dtype again
            DataType.Float16 => [x.to_type(ScalarType.Float16).to_type(x.is_floating_point() ? x.dtype : ScalarType.Float32)],
            // bfloat16's rounding is not pinned down (ONNX 1.12's reference truncates, torch rounds to nearest even)
            DataType.Bfloat16 => throw node.Unsupported("Cast to BFLOAT16"),
            DataType.Int64 => [x.to_type(ScalarType.Int64)],
            // narrower integers wrap around as in C, then widen back to int64 (the one integer dtype here)
            DataType.Int32 => [x.to_type(ScalarType.Int32).to_type(ScalarType.Int64)],
            DataType.Int16 => [x.to_type(ScalarType.Int16).to_type(ScalarType.Int64)],
            DataType.Int8 => [x.to_type(ScalarType.Int8).to_type(ScalarType.Int64)],
            DataType.Uint8 => [x.to_type(ScalarType.Byte).to_type(ScalarType.Int64)],
            DataType.Uint16 => [x.to_type(ScalarType.Int64).remainder(1L << 16)],
            DataType.Uint32 => [x.to_type(ScalarType.Int64).remainder(1L << 32)],
            DataType.Bool => [x.ne(0)],
            _ => throw node.Unsupported($"Cast to {to}"),
        };
    }
}
