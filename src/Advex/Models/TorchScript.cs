namespace Advex.Models;

using static TorchSharp.torch;

/// <summary>Loads a TorchScript module exported from PyTorch (torch.jit.trace / torch.jit.script) as a Classifier.</summary>
public static class TorchScript
{
    /// <summary>The registry entry (<see cref="ModelFormatRegistry"/>); without an input shape, one MNIST image
    /// [1,28,28].</summary>
    public static ModelFormat Format { get; } = new("torchscript", "a TorchScript .pt (torch.jit.trace or torch.jit.script)",
        Recognises, (path, options) => Load(path, options.InputShape ?? [1, 28, 28], options.Normalization));

    private static readonly string[] Extensions = [".pt", ".pth", ".ts"];

    /// <summary>A file named .pt, .pth or .ts, or any zip archive (the container torch.jit.save writes).</summary>
    public static bool Recognises(string path) =>
        IO.FileKinds.Of(path, followLinks: true) == IO.FileKind.Regular && (Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)) || IsZip(path));

    /// <summary>True when the file starts like a zip archive (PK\x03\x04).</summary>
    private static bool IsZip(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            return file.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head is [0x50, 0x4B, 0x03, 0x04];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <param name="path">the .pt file</param>
    /// <param name="inputShape">[C,H,W] of one sample; the number of classes is read from a probe forward pass</param>
    /// <param name="normalization">mean/std when the model expects normalized input</param>
    public static Classifier Load(string path, long[] inputShape, Normalization? normalization = null)
    {
        Native.TorchRuntime.EnsureLoaded();
        TorchScriptProbe.Check(path); // libtorch aborts the process on some errors in a model's code
        nn.Module<Tensor, Tensor> module;
        try
        {
            module = new ScriptAdapter(jit.load<Tensor, Tensor>(path));
        }
        catch (Exception e)
        {
            throw new AdvexException($"cannot load TorchScript model {path}: {Native.NativeErrors.Cause(e.Message)}");
        }
        module.eval();
        long[] outShape;
        using (no_grad())
        {
            try
            {
                using var probe = zeros([2, .. inputShape]);
                using var output = module.call(probe);
                outShape = output.shape;
            }
            catch (Exception e)
            {
                module.Dispose();
                throw new AdvexException(
                    $"model {path} failed on input [2,{string.Join(",", inputShape)}]: {Native.NativeErrors.Cause(e.Message)}");
            }
        }
        if (outShape.Length != 2 || outShape[0] != 2)
        {
            module.Dispose();
            throw new AdvexException(
                $"model {path} output has shape [{string.Join(",", outShape)}] for 2 inputs, expected [N,C] logits");
        }
        return new Classifier(module, inputShape, (int)outShape[1], normalization, kind: "torchscript") { Source = path };
    }

    /// <summary>Presents a loaded ScriptModule as an ordinary module (mode switches and parameters pass through).</summary>
    private sealed class ScriptAdapter : nn.Module<Tensor, Tensor>
    {
        private readonly jit.ScriptModule<Tensor, Tensor> script;

        public ScriptAdapter(jit.ScriptModule<Tensor, Tensor> script) : base("TorchScript")
        {
            this.script = script;
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => script.call(x);

        // TorchSharp's generic disposal walks the script's submodules after releasing it; dispose the script once
        // ourselves instead (the adapter owns no tensors of its own).
        protected override void Dispose(bool disposing)
        {
            if (disposing) script.Dispose();
        }
    }
}
