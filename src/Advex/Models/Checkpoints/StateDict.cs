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

    /// <summary>
    /// The tensors of the file by key; the caller disposes them. A training checkpoint wraps the state_dict in a
    /// dictionary with other entries (<c>{"epoch": …, "state_dict": …, "optimizer": …}</c>): the state_dict is then the
    /// entry <paramref name="key"/> names, or without one the only entry that is a dictionary of tensors.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, string? Entry) Read(string path, string? key = null)
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
                ? $"checkpoint {path} is not a state_dict of tensors, nor a dictionary holding one"
                : $"checkpoint {path} cannot be read: {inner.Message.Split('\n')[0]}");
        }
        if (loaded is not System.Collections.IDictionary table) throw new AdvexException($"checkpoint {path} holds no state_dict");
        try
        {
            var (chosen, entry) = Unwrap(table, path, key);
            var result = new Dictionary<string, Tensor>();
            foreach (System.Collections.DictionaryEntry e in chosen)
                result[(string)e.Key] = (Tensor)e.Value!;
            DisposeAll(table, result.Values.ToHashSet(ReferenceEqualityComparer.Instance)); // the optimizer's, the other entries'
            return (result, entry);
        }
        catch
        {
            DisposeAll(table);
            throw;
        }
    }

    /// <summary>The state_dict inside a checkpoint: the table itself when it maps names to tensors, else the entry
    /// <paramref name="key"/> names, else its only entry that is a dictionary of tensors.</summary>
    private static (System.Collections.IDictionary Table, string? Entry) Unwrap(System.Collections.IDictionary table,
        string path, string? key)
    {
        if (key is null && IsStateDict(table)) return (table, null);
        // a pickled dict arrives as a Hashtable, whose order varies from run to run: names are listed sorted
        var entries = table.Keys.Cast<object>().Select(k => k.ToString() ?? "").Order(StringComparer.Ordinal).ToList();
        var candidates = table.Keys.OfType<string>().Where(k => table[k] is System.Collections.IDictionary d && IsStateDict(d))
            .Order(StringComparer.Ordinal).ToList();
        if (key is not null)
        {
            if (!table.Contains(key))
                throw new AdvexException($"checkpoint {path} has no entry '{key}' (it has {List(entries)})");
            if (table[key] is System.Collections.IDictionary inner && IsStateDict(inner)) return (inner, key);
            throw new AdvexException($"checkpoint {path}: entry '{key}' is not a state_dict (a dictionary of tensors)" +
                (candidates.Count > 0 ? $"; {List(candidates)} {(candidates.Count == 1 ? "is" : "are")}" : ""));
        }
        if (candidates.Count == 1) return ((System.Collections.IDictionary)table[candidates[0]]!, candidates[0]);
        if (candidates.Count > 1)
            throw new AdvexException(
                $"checkpoint {path} holds {candidates.Count} state_dicts ({List(candidates)}): choose one with --checkpoint-key");
        var odd = table.Keys.Cast<object>().Where(k => table[k] is not Tensor).MinBy(k => k.ToString(), StringComparer.Ordinal);
        throw new AdvexException(table.Values.OfType<Tensor>().Any() && odd is not null
            ? $"checkpoint {path} is not a state_dict of tensors (entry '{odd}' is {Describe(table[odd])})"
            : $"checkpoint {path} holds no state_dict: none of its entries ({List(entries)}) is a dictionary of tensors");
    }

    /// <summary>What a pickled value is, in Python's words.</summary>
    private static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        bool => "a bool",
        int or long or double or float or System.Numerics.BigInteger => "a number",
        System.Collections.IDictionary => "a dict",
        System.Collections.IEnumerable => "a list",
        _ => "a Python object",
    };

    private static bool IsStateDict(System.Collections.IDictionary d) =>
        d.Count > 0 && d.Keys.Cast<object>().All(k => k is string) && d.Values.Cast<object?>().All(v => v is Tensor);

    /// <summary>Disposes every tensor a checkpoint holds, however deep (optimizer state included), except those
    /// kept.</summary>
    private static void DisposeAll(object? value, HashSet<object?>? keep = null)
    {
        switch (value)
        {
            case Tensor t:
                if (keep?.Contains(t) != true) t.Dispose();
                break;
            case System.Collections.IDictionary d:
                foreach (var v in d.Values) DisposeAll(v, keep);
                break;
            case System.Collections.IEnumerable items and not string:
                foreach (var v in items) DisposeAll(v, keep);
                break;
        }
    }

    /// <summary>
    /// The checkpoint's names without a prefix that every one of them carries and the architecture lacks:
    /// <c>nn.DataParallel</c> and <c>DistributedDataParallel</c> save <c>module.conv1.weight</c>, a Lightning module
    /// often <c>model.conv1.weight</c>. A prefix is removed only when its first component is shared by all names and
    /// the names then hold the architecture's output layer (<paramref name="headKey"/>), which they did not before;
    /// the names are checked one by one afterwards, as always.
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, string Prefix) WithoutPrefix(Dictionary<string, Tensor> source,
        string headKey)
    {
        var prefix = "";
        var names = source.Keys.ToList();
        while (!names.Contains(headKey))
        {
            var first = names.Select(k => k.IndexOf('.') is var i and > 0 ? k[..(i + 1)] : "").Distinct().ToList();
            if (first is not [{ Length: > 0 } p]) return (source, "");
            names = names.Select(k => k[p.Length..]).ToList();
            prefix += p;
        }
        return prefix.Length == 0 ? (source, "") : (source.ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value), prefix);
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
