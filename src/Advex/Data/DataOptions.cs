namespace Advex.Data;

using Advex.Validation;

/// <summary>
/// How to read a dataset beyond its spec and split: the image transforms of an <c>images:</c> folder, applied in
/// torchvision's usual order Resize → CenterCrop → Grayscale (<see cref="Images.ImageTransforms"/>), and which label a
/// <c>cifar100:</c> record gives. Formats with fixed-size images (IDX, CIFAR) refuse the image transforms rather than
/// ignore them.
/// </summary>
public sealed record DataOptions
{
    public static DataOptions None { get; } = new();

    /// <summary>Resize the shorter side to this many pixels (torchvision <c>Resize(n)</c> on a PIL image).</summary>
    public int? Resize { get; init; }

    /// <summary>Crop the centre square of this size (torchvision <c>CenterCrop(n)</c>, zero padding when larger).</summary>
    public int? CenterCrop { get; init; }

    /// <summary>One luma channel (PIL <c>convert('L')</c>) instead of RGB.</summary>
    public bool Grayscale { get; init; }

    /// <summary>For CIFAR-100: <c>fine</c> (100 classes, the default when null) or <c>coarse</c> (20 superclasses).</summary>
    public string? Label { get; init; }

    public bool HasImageTransforms => Resize is not null || CenterCrop is not null || Grayscale;

    /// <summary>The largest resize or center-crop side: its square stays below <see cref="Images.ImageDecoder.MaxPixels"/>.</summary>
    public const int MaxSide = 8192;

    /// <summary>Throws an <see cref="AdvexException"/> naming the first invalid option.</summary>
    public DataOptions Validate()
    {
        if (Resize is { } r) Check.AtLeast(r, 1, "resize");
        if (CenterCrop is { } c) Check.AtLeast(c, 1, "center-crop");
        if (Resize > MaxSide || CenterCrop > MaxSide)
            throw new AdvexException($"{(Resize > MaxSide ? "resize" : "center-crop")} must be at most {MaxSide} (got {(Resize > MaxSide ? Resize : CenterCrop)})");
        if (Label is not (null or "fine" or "coarse")) throw new AdvexException($"label must be fine or coarse (got '{Label}')");
        return this;
    }

    /// <summary>Refuses image transforms for a format whose images are stored at a fixed size.</summary>
    public void RefuseImageTransforms(string spec)
    {
        if (HasImageTransforms)
            throw new AdvexException($"data {spec}: resize, center-crop and grayscale apply to images: folders only");
    }

    /// <summary>Refuses a CIFAR-100 label choice for any other format.</summary>
    public void RefuseLabel(string spec)
    {
        if (Label is not null) throw new AdvexException($"data {spec}: label {Label} applies to cifar100: only");
    }
}
