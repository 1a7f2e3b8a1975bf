namespace Advex.Models;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// One entry of <see cref="Architectures"/>: a native architecture's name (as written in model manifests and taken
/// by <c>train --model</c>), a one-line description for help text, and a factory from the input shape [C,H,W] and
/// the class count to a fresh module returning logits [N, classes].
/// </summary>
public sealed record NativeArchitecture(string Name, string Description, Func<long[], int, Module<Tensor, Tensor>> Create);
