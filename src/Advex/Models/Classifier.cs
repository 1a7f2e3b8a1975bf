namespace Advex.Models;

using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// A model that maps pixels in <see cref="Lower"/>..<see cref="Upper"/> (default [0,1]) of shape
/// [N, <see cref="InputShape"/>] to logits [N, <see cref="Classes"/>]. Normalization, when given, is applied inside,
/// so callers and attacks always work in pixel space. Native modules and TorchScript modules are both Classifiers.
/// </summary>
public sealed class Classifier : IDisposable
{
    private readonly Tensor? mean;
    private readonly Tensor? std;

    public Classifier(Module<Tensor, Tensor> module, long[] inputShape, int classes, Normalization? normalization = null,
        double lower = 0, double upper = 1, string kind = "native", string? architecture = null)
    {
        if (classes < 2) throw new AdvexException($"a classifier needs at least 2 classes (got {classes})");
        if (!(lower < upper)) throw new AdvexException($"bounds must satisfy lower < upper (got {lower}, {upper})");
        Module = module;
        InputShape = inputShape;
        Classes = classes;
        Normalization = normalization;
        Lower = lower;
        Upper = upper;
        Kind = kind;
        Architecture = architecture;
        MemoryFormat = kind == "native" && inputShape.Length == 3 ? MemoryFormat.ChannelsLast : MemoryFormat.Contiguous;
        if (normalization != null)
        {
            var c = inputShape[0];
            if (normalization.Mean.Length != 1 && normalization.Mean.Length != c)
                throw new AdvexException($"normalization has {normalization.Mean.Length} channels, the input has {c}");
            mean = tensor(Expand(normalization.Mean, c)).reshape(1, c, 1, 1);
            std = tensor(Expand(normalization.Std, c)).reshape(1, c, 1, 1);
        }
    }

    public Module<Tensor, Tensor> Module { get; }
    public long[] InputShape { get; }
    public int Classes { get; }
    public Normalization? Normalization { get; }
    public double Lower { get; }
    public double Upper { get; }
    /// <summary>"native", "torchscript", "onnx" or "checkpoint".</summary>
    public string Kind { get; }
    /// <summary>Native architecture name (lenet, smallcnn, mlp), or a checkpoint's (resnet18, …); null for TorchScript
    /// and ONNX.</summary>
    public string? Architecture { get; }

    /// <summary>Where the model was loaded from (named in error messages), when it was loaded from a file.</summary>
    public string? Source { get; init; }

    /// <summary>The entry of a training checkpoint the weights came from (e.g. <c>state_dict</c>, <c>ema</c>); null when the
    /// file is the state_dict itself or not a checkpoint.</summary>
    public string? CheckpointEntry { get; init; }

    /// <summary>What runs the forward pass (<see cref="ModelBackend.Torch"/> unless loaded for ONNX Runtime).</summary>
    public ModelBackend Backend { get; init; } = ModelBackend.Torch;

    /// <summary>False when the backend runs forward passes only (ONNX Runtime): no input gradients, so only
    /// gradient-free attacks apply (<c>Attack.NeedsGradients</c>).</summary>
    public bool HasGradients => Backend == ModelBackend.Torch;

    /// <summary>The memory layout image batches are handed to the module in (<see cref="MemoryFormats"/>):
    /// channels-last for Advex's own image architectures (they run it by construction, so a trained model and its
    /// saved and reloaded copy give identical logits), contiguous for other modules unless the loader is asked for
    /// channels-last (<see cref="ModelFormatRegistry"/>).</summary>
    public MemoryFormat MemoryFormat { get; set; }

    /// <summary>The model as named in messages: its file, else its architecture or kind.</summary>
    public string DisplayName => Source ?? Architecture ?? Kind;

    /// <summary>Logits [N, Classes] for pixels x [N, ...InputShape]. Throws when the model's output is not [N, C].</summary>
    public Tensor Logits(Tensor x) => Logits(x, MemoryFormat);

    /// <summary>Logits with the batch laid out in <paramref name="format"/> (the same values up to summation
    /// order).</summary>
    public Tensor Logits(Tensor x, MemoryFormat format)
    {
        using var scope = NewDisposeScope();
        var input = MemoryFormats.Apply(mean is null ? x : (x - mean) / std!, format);
        Tensor logits;
        try
        {
            logits = Module.call(input);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            throw new AdvexException(
                $"model {Source ?? Architecture ?? Kind} failed on input [{string.Join(",", x.shape)}]: {Native.NativeErrors.Cause(e.Message)}", e);
        }
        if (logits.dim() != 2 || logits.shape[0] != x.shape[0] || logits.shape[1] != Classes)
            throw new AdvexException(
                $"model output has shape [{string.Join(",", logits.shape)}], expected [N,C] = [{x.shape[0]},{Classes}]");
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Predicted classes [N] (argmax of the logits), without building a graph.</summary>
    public Tensor Predict(Tensor x)
    {
        using var _ = no_grad();
        using var logits = Logits(x);
        return logits.argmax(1);
    }

    /// <summary>Puts the model in eval mode until the returned handle is disposed, then restores its previous mode.</summary>
    public IDisposable EvalMode()
    {
        var wasTraining = Module.training;
        Module.eval();
        return new Restore(() => Module.train(wasTraining));
    }

    /// <summary>Refuses a dataset whose images are not this model's input shape or, unless
    /// <paramref name="needsLabels"/> is false (the labels may still be replaced by predictions), whose labels are
    /// missing (an unlabelled set) or not its classes.</summary>
    public void CheckData(Data.Dataset data, bool needsLabels = true)
    {
        if (!data.InputShape.SequenceEqual(InputShape))
            throw new AdvexException(
                $"data {data.Spec} has images [{string.Join(",", data.InputShape)}], the model expects [{string.Join(",", InputShape)}]");
        if (!needsLabels) return;
        data.RequireLabels();
        data.CheckLabels(Classes, $"the model has {Classes} classes");
    }

    /// <summary>Checks that x has the model's input shape and lies inside the bounds.</summary>
    public void CheckInput(Tensor x)
    {
        if (x.dim() != InputShape.Length + 1 || !x.shape.Skip(1).SequenceEqual(InputShape))
            throw new AdvexException(
                $"input has shape [{string.Join(",", x.shape)}], the model expects [N,{string.Join(",", InputShape)}]");
        using var _ = no_grad();
        var lo = x.min().item<float>();
        var hi = x.max().item<float>();
        if (float.IsNaN(lo) || float.IsNaN(hi)) throw new AdvexException("input holds NaN values"); // min and max propagate NaN
        if (lo < Lower - 1e-6 || hi > Upper + 1e-6)
            throw new AdvexException($"input values span [{lo}, {hi}], outside the model's bounds [{Lower}, {Upper}]");
    }

    public void Dispose()
    {
        Module.Dispose();
        mean?.Dispose();
        std?.Dispose();
    }

    private static float[] Expand(double[] values, long channels) =>
        Enumerable.Range(0, (int)channels).Select(i => (float)values[values.Length == 1 ? 0 : i]).ToArray();

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
