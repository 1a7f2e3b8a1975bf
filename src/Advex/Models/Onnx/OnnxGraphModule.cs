namespace Advex.Models.Onnx;

using global::Onnx;
using static TorchSharp.torch;

/// <summary>
/// An ONNX graph as a TorchSharp module, evaluated with torch operations so that gradients flow from the outputs
/// back to the inputs. At load the graph becomes an execution plan (<see cref="OnnxExecutionPlan"/>): nodes sorted
/// in linear time, every value given a slot, constant sub-graphs computed once, BatchNormalization folded into the
/// convolution before it. Initializers, Constant nodes and folded values are buffers (so <c>.to(float64)</c>
/// converts them). Each forward walks the plan on an array of slots and disposes every intermediate value as soon
/// as its last reader has run. Every node is checked against <see cref="OnnxOps"/> at load: an op, opset or
/// attribute without a converter is an <see cref="OnnxUnsupportedException"/> before anything runs.
/// </summary>
public sealed class OnnxGraphModule : nn.Module<Tensor, Tensor>
{
    private readonly OnnxExecutionPlan plan;
    private readonly string[] bufferKeys; // per constant slot of the plan

    /// <param name="model">the parsed model</param>
    /// <param name="path">the file, for messages</param>
    /// <param name="foldBatchNorm">fold each BatchNormalization into the convolution it follows (inference only; the
    /// function computed, and so its input gradient, is unchanged up to rounding)</param>
    /// <param name="releaseInitializers">empty the model's initializer data as it becomes tensors (the model is then
    /// spent); <see cref="Load"/> does so</param>
    public OnnxGraphModule(ModelProto model, string path, bool foldBatchNorm = true, bool releaseInitializers = false)
        : base("OnnxGraph")
    {
        Path = path;
        Opset = OnnxFile.DefaultOpset(model);
        var graph = model.Graph;
        if (graph.SparseInitializer.Count > 0)
            throw new OnnxUnsupportedException($"ONNX model {path}: sparse initializers are not supported");
        plan = OnnxExecutionPlan.Build(graph, Opset, path, foldBatchNorm, releaseInitializers);
        try
        {
            bufferKeys = new string[plan.Constants.Count];
            for (var i = 0; i < plan.Constants.Count; i++)
            {
                bufferKeys[i] = $"t{i}";
                register_buffer(bufferKeys[i], plan.Constants[i].Value);
            }
            plan.ForgetConstantValues(); // the module owns them now, as buffers
            InputNames = plan.InputNames;
            OutputNames = plan.OutputNames;
            Inputs = graph.Input.Where(i => InputNames.Contains(i.Name)).ToArray();
            foreach (var value in Inputs.Concat(graph.Output).Where(v => v.Type is { TensorType: null }))
                throw new OnnxUnsupportedException(
                    $"ONNX model {path}: graph input/output '{value.Name}' is a {value.Type.ValueCase}, not a tensor, which is not supported");
            var batch = Inputs.Length == 1 ? Inputs[0].Type?.TensorType?.Shape?.Dim.FirstOrDefault() : null;
            StaticBatchOfOne = batch is { HasDimValue: true, DimValue: 1 };
        }
        catch
        {
            Dispose(); // the buffers registered so far
            plan.Dispose();
            throw;
        }
    }

    /// <summary>The graph of the .onnx file <paramref name="path"/>, its weights read once: the parsed file's copy
    /// of each is released as it becomes a tensor (a ViT-B/16's gradient step peaked at 1.58× PyTorch's RSS before, 1.11× so).</summary>
    public static OnnxGraphModule Load(string path) => new(OnnxFile.Read(path), path, releaseInitializers: true);

    public string Path { get; }
    public int Opset { get; }
    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<string> OutputNames { get; }
    /// <summary>The graph inputs that are not initializers, with their declared types and shapes.</summary>
    public ValueInfoProto[] Inputs { get; }
    /// <summary>True when the graph fixes the batch to 1; <see cref="forward"/> then runs a batch one sample at a time.</summary>
    public bool StaticBatchOfOne { get; }
    /// <summary>Nodes run by each forward pass (after constant folding and BatchNorm folding).</summary>
    public int StepCount => plan.Steps.Count;

    /// <summary>The first output for the single graph input x (a batch; split per sample when the graph's batch is fixed to 1).</summary>
    public override Tensor forward(Tensor x)
    {
        if (InputNames.Count != 1)
            throw new AdvexException($"ONNX model {Path} has {InputNames.Count} inputs; a classifier needs exactly one");
        if (!StaticBatchOfOne || x.shape[0] == 1) return Run([x])[0];
        using var scope = NewDisposeScope();
        var parts = x.split(1).Select(sample => Run([sample])[0]).ToList();
        return cat(parts, 0).MoveToOuterDisposeScope();
    }

    /// <summary>All graph outputs for the graph inputs (in the graph's order): the general entry point for any graph.</summary>
    public Tensor[] Run(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.Count != InputNames.Count)
            throw new AdvexException($"ONNX model {Path} takes {InputNames.Count} inputs, got {inputs.Count}");
        var constants = new Tensor[bufferKeys.Length];
        for (var i = 0; i < bufferKeys.Length; i++) constants[i] = get_buffer(bufferKeys[i])!;
        return plan.Run(constants, inputs);
    }
}
