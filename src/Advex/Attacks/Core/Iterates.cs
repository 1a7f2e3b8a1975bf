namespace Advex.Attacks.Core;

using static TorchSharp.torch;

/// <summary>
/// The state update of STYLE.md "A loop that does not leak", for loops that carry several tensors: inside the loop
/// body's dispose scope, dispose the previous value, then move the new one out to the scope enclosing the loop.
/// </summary>
internal static class Iterates
{
    public static void Replace(ref Tensor slot, Tensor next)
    {
        if (ReferenceEquals(slot, next)) return; // unchanged: it already lives outside the loop body
        slot.Dispose();
        slot = next.MoveToOuterDisposeScope();
    }
}
