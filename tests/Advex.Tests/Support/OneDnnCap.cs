namespace Advex.Tests.Support;

using System.Runtime.CompilerServices;

/// <summary>Tests that run libtorch directly (reference gradients) get the same oneDNN ISA cap as Advex, before
/// their first convolution (<see cref="Advex.Native.OneDnnIsa"/>).</summary>
internal static class OneDnnCap
{
#pragma warning disable CA2255 // the test assembly's own initializer
    [ModuleInitializer]
    internal static void OnLoad() => Advex.Native.OneDnnIsa.Apply();
#pragma warning restore CA2255
}
