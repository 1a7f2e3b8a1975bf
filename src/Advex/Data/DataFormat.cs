namespace Advex.Data;

/// <summary>The storage format a <see cref="Dataset"/> was read from; outputs derived from it (the adversarial
/// images of <c>attack</c>) are written in the same format.</summary>
public enum DataFormat
{
    /// <summary>IDX files (mnist, fashion-mnist, idx:).</summary>
    Idx,

    /// <summary>CIFAR-10 binary records (1 label byte + 3,072 pixel bytes).</summary>
    Cifar10,

    /// <summary>CIFAR-100 binary records (coarse and fine label bytes + 3,072 pixel bytes).</summary>
    Cifar100,

    /// <summary>A folder of image files, one sub-folder per class.</summary>
    Images,
}
