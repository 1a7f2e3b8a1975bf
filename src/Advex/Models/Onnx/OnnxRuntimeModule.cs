namespace Advex.Models.Onnx;

using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;
using static TorchSharp.torch;

/// <summary>
/// An ONNX graph run by ONNX Runtime (CPU) behind TorchSharp's module interface, so a <see cref="Classifier"/>,
/// the attacks and the evaluator drive it like any model, forward only: the output carries no autograd graph, and
/// an input that asks for one (requires_grad under enabled gradients) is refused, so a gradient can never come out
/// silently wrong. A graph with a fixed batch size (many exports fix it at 1) is run in slices of that size.
/// </summary>
public sealed class OnnxRuntimeModule : nn.Module<Tensor, Tensor>
{
    private readonly InferenceSession session;
    private readonly string inputName;
    private readonly string outputName;
    private readonly string path;

    /// <param name="path">the .onnx file</param>
    /// <param name="threads">intra-op threads for ONNX Runtime (TorchSharp's own thread count by default)</param>
    public OnnxRuntimeModule(string path, int? threads = null) : base("OnnxRuntime")
    {
        this.path = path;
        var options = new SessionOptions { IntraOpNumThreads = threads ?? get_num_threads(), InterOpNumThreads = 1 };
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AdvexException($"ONNX Runtime cannot load {path}: {e.Message.Split('\n')[0]}");
        }
        finally
        {
            options.Dispose();
        }
        if (session.InputMetadata.Count != 1 || session.OutputMetadata.Count < 1)
        {
            var inputs = session.InputMetadata.Count;
            session.Dispose();
            throw new AdvexException($"ONNX model {path} has {inputs} inputs; a classifier takes exactly one");
        }
        var (name, meta) = session.InputMetadata.First();
        if (meta.ElementDataType != TensorElementType.Float)
        {
            session.Dispose();
            throw new AdvexException($"ONNX model {path} takes {meta.ElementDataType} input '{name}'; a classifier takes float pixels");
        }
        inputName = name;
        InputDims = meta.Dimensions;
        outputName = session.OutputMetadata.Keys.First();
        RegisterComponents();
    }

    /// <summary>The graph input's declared dimensions, batch first; −1 where a dimension is dynamic.</summary>
    public int[] InputDims { get; }

    public override Tensor forward(Tensor x)
    {
        if (x.requires_grad && is_grad_enabled())
            throw new AdvexException(
                $"the onnxruntime backend runs {path} forward only and gives no gradients; load it with the torch backend for gradient attacks");
        using var scope = NewDisposeScope();
        var input = x.detach().to(ScalarType.Float32).contiguous();
        var batch = InputDims.Length > 0 && InputDims[0] > 0 ? InputDims[0] : (int)Math.Max(1, input.shape[0]);
        var parts = new List<Tensor>();
        for (long start = 0; start < input.shape[0]; start += batch)
        {
            var slice = input.narrow(0, start, Math.Min(batch, input.shape[0] - start));
            parts.Add(RunSession(slice));
        }
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    private Tensor RunSession(Tensor x)
    {
        var shape = x.shape;
        var data = x.data<float>().ToArray();
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        try
        {
            using var outputs = session.Run(runOptions, [inputName], [value], [outputName]);
            var output = outputs[0];
            var outShape = output.GetTensorTypeAndShape().Shape;
            return tensor(output.GetTensorDataAsSpan<float>().ToArray()).reshape(outShape);
        }
        catch (OnnxRuntimeException e)
        {
            throw new AdvexException(
                $"ONNX Runtime failed on {path} with input [{string.Join(",", shape)}]: {e.Message.Split('\n')[0]}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) session.Dispose();
        base.Dispose(disposing);
    }
}
