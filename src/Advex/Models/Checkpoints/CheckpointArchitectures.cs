namespace Advex.Models.Checkpoints;

using static TorchSharp.torchvision;

/// <summary>
/// The architectures <c>--arch</c> names for a PyTorch <c>state_dict</c>: TorchVision .NET's definitions, whose
/// parameter names are torchvision's (so <c>torchvision.models.resnet18().state_dict()</c> loads as saved), and
/// Advex's own native architectures (<see cref="Architectures"/>), whose names a PyTorch module with the same
/// attribute names reproduces. The contract suite (<c>CheckpointTests</c>) builds every entry. Adding one is one line.
/// </summary>
public static class CheckpointArchitectures
{
    private static readonly long[] ImageNet = [3, 224, 224];

    public static IReadOnlyList<CheckpointArchitecture> All { get; } =
    [
        new("resnet18", "torchvision ResNet-18", "fc.weight", ImageNet, (_, k) => models.resnet18(num_classes: k)),
        new("resnet34", "torchvision ResNet-34", "fc.weight", ImageNet, (_, k) => models.resnet34(num_classes: k)),
        new("resnet50", "torchvision ResNet-50", "fc.weight", ImageNet, (_, k) => models.resnet50(num_classes: k)),
        new("vgg11", "torchvision VGG-11", "classifier.6.weight", ImageNet, (_, k) => models.vgg11(num_classes: k)),
        new("vgg16", "torchvision VGG-16", "classifier.6.weight", ImageNet, (_, k) => models.vgg16(num_classes: k)),
        new("alexnet", "torchvision AlexNet", "classifier.6.weight", ImageNet, (_, k) => models.alexnet(num_classes: k)),
        new("mobilenet_v2", "torchvision MobileNetV2", "classifier.1.weight", ImageNet,
            (_, k) => models.mobilenet_v2(num_classes: k)),
        Native("lenet", "fc3.weight"),
        Native("smallcnn", "fc2.weight"),
        Native("wongnet", "fc2.weight"),
        Native("mlp", "fc3.weight"),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. All.Select(a => a.Name)];

    public static string Help => Listing.Or(Names);

    public static CheckpointArchitecture Get(string name) =>
        All.FirstOrDefault(a => a.Name == name.Trim().ToLowerInvariant())
        ?? throw new AdvexException($"unknown architecture '{name}' for a checkpoint (expected one of: {string.Join(", ", Names)})");

    /// <summary>An Advex architecture under its own name; MNIST-sized input unless one is given.</summary>
    private static CheckpointArchitecture Native(string name, string headKey) =>
        new(name, $"Advex {name}", headKey, [1, 28, 28], (s, k) => Architectures.Create(name, s, k));
}
