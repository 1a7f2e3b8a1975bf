namespace Advex.Data.Images;

/// <summary>An 8-bit image as planes: <see cref="Channels"/> × <see cref="Height"/> × <see cref="Width"/> bytes,
/// channel-major (the [C,H,W] layout of a dataset sample).</summary>
public sealed record Planes(int Channels, int Height, int Width, byte[] Data)
{
    public int PlaneSize => Height * Width;
}
