namespace Advex.Models.Onnx.Ops;

using static TorchSharp.torch;

/// <summary>
/// ScatterND: a copy of data where the slices data[i₁..iₖ] named by the rows of indices ([..., k], k ≤ rank(data),
/// negative indices count from the end) are replaced by (reduction none), added to (add) or multiplied by (mul) the
/// matching slices of updates; a repeated row accumulates with add and mul. Differentiable in data and updates:
/// data is seen as [d₀·…·dₖ₋₁, rest] and each row as one flat index into its first axis.
/// </summary>
internal static class Scatter
{
    public static Tensor[] ScatterND(OnnxNode node, Tensor?[] inputs)
    {
        var data = node.Required(inputs, 0);
        var indices = node.Required(inputs, 1).to_type(ScalarType.Int64);
        var updates = node.Required(inputs, 2);
        var reduction = node.String("reduction", "none");
        var k = (int)indices.shape[^1];
        if (k > data.dim()) throw node.Unsupported($"index tuples of length {k} for a rank-{data.dim()} tensor");
        var leading = data.shape[..k];
        var rest = data.shape[k..];
        var flat = zeros(indices.shape[..^1], ScalarType.Int64);
        for (var i = 0; i < k; i++)
        {
            var column = indices.select(-1, i);
            flat = flat * leading[i] + where(column < 0, column + leading[i], column);
        }
        flat = flat.flatten();
        var table = data.reshape([-1, .. rest]);
        var rows = updates.reshape([-1, .. rest]);
        var output = reduction switch
        {
            "none" => table.index_copy(0, flat, rows),
            "add" => table.index_add(0, flat, rows, 1),
            "mul" => Multiply(table, flat, rows),
            _ => throw node.Unsupported($"reduction '{reduction}'"),
        };
        return [output.reshape(data.shape)];
    }

    /// <summary>Row by row, so that a repeated index multiplies twice.</summary>
    private static Tensor Multiply(Tensor table, Tensor flat, Tensor rows)
    {
        var factors = ones_like(table);
        var index = flat.data<long>().ToArray();
        for (var r = 0; r < index.Length; r++)
            factors = factors.index_copy(0, tensor(new[] { index[r] }), (factors[index[r]] * rows[r]).unsqueeze(0));
        return table * factors;
    }
}
