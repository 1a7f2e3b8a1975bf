namespace Advex.Models.Checkpoints;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// One entry of <see cref="CheckpointArchitectures"/>: an architecture a PyTorch <c>state_dict</c> can be loaded
/// into, with the key of its output layer's weight (<see cref="HeadKey"/>, whose first dimension is the class count,
/// so a checkpoint says its own classes), the input shape it takes when none is given, and a factory from the input
/// shape [C,H,W] and the class count to a fresh module returning logits.
/// </summary>
public sealed record CheckpointArchitecture(string Name, string Description, string HeadKey, long[] DefaultInputShape,
    Func<long[], int, Module<Tensor, Tensor>> Create);
