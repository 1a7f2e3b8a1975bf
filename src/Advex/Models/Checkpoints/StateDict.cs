namespace Advex.Models.Checkpoints;

using BindingFlags = System.Reflection.BindingFlags;
using TargetInvocationException = System.Reflection.TargetInvocationException;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// A PyTorch <c>state_dict</c> read from a file with TorchSharp.PyBridge (a <c>torch.save</c> zip archive or a
/// <c>.safetensors</c> file), checked against a module key by key before anything is copied, as
/// <c>load_state_dict(strict=True)</c> does, but naming the first differing keys of each kind.
/// </summary>
public static class StateDict
{
    /// <summary>How many keys of each kind (missing, unexpected, shape) a mismatch message names.</summary>
    public const int Shown = 5;

    /// <summary>The tensors of the file by key; the caller disposes them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        var safetensors = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase);
        object? loaded;
        try
        {
            loaded = safetensors ? Invoke("Safetensors", "LoadStateDict", path) : Invoke("PyTorchUnpickler", "UnpickleStateDict", path);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner and not AdvexException)
        {
            throw new AdvexException(inner is InvalidCastException
                ? $"checkpoint {path} is not a plain state_dict of tensors (a training checkpoint wraps it: save model.state_dict() alone)"
                : $"checkpoint {path} cannot be read: {inner.Message.Split('\n')[0]}");
        }
        var result = new Dictionary<string, Tensor>();
        switch (loaded)
        {
            case IDictionary<string, Tensor> tensors:
                foreach (var (k, v) in tensors) result[k] = v;
                break;
            case System.Collections.IDictionary table:
                foreach (System.Collections.DictionaryEntry entry in table)
                {
                    if (entry.Key is not string key || entry.Value is not Tensor t)
                        throw new AdvexException(
                            $"checkpoint {path} is not a plain state_dict of tensors (entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}; " +
                            "a training checkpoint wraps it: save model.state_dict() alone)");
                    result[key] = t;
                }
                break;
            default:
                throw new AdvexException($"checkpoint {path} holds no state_dict");
        }
        if (result.Count == 0) throw new AdvexException($"checkpoint {path} holds no tensors");
        return result;
    }

    /// <summary>
    /// Calls one of TorchSharp.PyBridge's readers (<c>PyTorchUnpickler.UnpickleStateDict(path)</c>,
    /// <c>Safetensors.LoadStateDict(path)</c>), which its public <c>load_py</c>/<c>load_safetensors</c> use but keep
    /// internal: those load straight into a module and stop at the first mismatch, while Advex compares every key
    /// first. The version is pinned (Directory.Packages.props) and CheckpointTests fail if the readers move.
    /// </summary>
    private static object? Invoke(string type, string method, string path)
    {
        var t = typeof(PyBridgeModuleExtensions).Assembly.GetType($"TorchSharp.PyBridge.{type}")
                ?? throw new InvalidOperationException($"TorchSharp.PyBridge has no {type}");
        var m = t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                    .FirstOrDefault(x => x.Name == method && x.GetParameters() is [{ } first, ..] && first.ParameterType == typeof(string)
                                         && x.GetParameters().Skip(1).All(p => p.HasDefaultValue))
                ?? throw new InvalidOperationException($"TorchSharp.PyBridge has no {type}.{method}(string)");
        var args = m.GetParameters().Select((p, i) => i == 0 ? path : p.DefaultValue).ToArray();
        return m.Invoke(null, args);
    }

    /// <summary>The differences between a module's state and a checkpoint's, in the module's key order.</summary>
    public static (List<string> Missing, List<string> Unexpected, List<string> Shapes) Compare(Module module,
        IReadOnlyDictionary<string, Tensor> source)
    {
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !source.ContainsKey(k)).ToList();
        var unexpected = source.Keys.Where(k => !target.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = target.Where(kv => source.TryGetValue(kv.Key, out var s) && !s.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"{kv.Key} (checkpoint [{string.Join(",", source[kv.Key].shape)}], architecture [{string.Join(",", kv.Value.shape)}])")
            .ToList();
        return (missing, unexpected, shapes);
    }

    /// <summary>Copies the checkpoint into the module, or throws naming the first differing keys of each kind.</summary>
    public static void Apply(Module module, IReadOnlyDictionary<string, Tensor> source, string path, string architecture)
    {
        var (missing, unexpected, shapes) = Compare(module, source);
        if (missing.Count + unexpected.Count + shapes.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing {List(missing)}");
            if (unexpected.Count > 0) parts.Add($"unexpected {List(unexpected)}");
            if (shapes.Count > 0) parts.Add($"shape {List(shapes)}");
            throw new AdvexException($"checkpoint {path} does not fit architecture {architecture}: {string.Join("; ", parts)}");
        }
        using var _ = no_grad();
        foreach (var (key, value) in module.state_dict())
        {
            var from = source[key];
            if (from.dtype != value.dtype && !(from.is_floating_point() && value.is_floating_point()))
                throw new AdvexException(
                    $"checkpoint {path}: {key} is {from.dtype}, architecture {architecture} holds {value.dtype}");
            value.copy_(from);
        }
    }

    private static string List(List<string> keys) =>
        string.Join(", ", keys.Take(Shown)) + (keys.Count > Shown ? $" and {keys.Count - Shown} more" : "");
}
