namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// The state update of STYLE.md "A loop that does not leak", for loops that carry several tensors: inside the loop
/// body's dispose scope, dispose the previous value, then move the new one out to the scope enclosing the loop; and
/// the rows of a loop's shrinking active set.
/// </summary>
internal static class Iterates
{
    public static void Replace(ref Tensor slot, Tensor next)
    {
        if (ReferenceEquals(slot, next)) return; // unchanged: it already lives outside the loop body
        slot.Dispose();
        slot = next.MoveToOuterDisposeScope();
    }

    /// <summary>The rows <paramref name="keep"/> of t, or t itself when every row is kept (keep is an ascending set of
    /// row indices, as an active set from nonzero is).</summary>
    public static Tensor Rows(Tensor t, Tensor keep) => keep.numel() == t.shape[0] ? t : t.index_select(0, keep);
}
