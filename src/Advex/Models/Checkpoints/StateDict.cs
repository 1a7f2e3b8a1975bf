namespace Advex.Models.Checkpoints;

using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// A PyTorch <c>state_dict</c> read from a file (a <c>torch.save</c> zip archive by <see cref="TorchArchive"/>, or a
/// <c>.safetensors</c> file by <see cref="SafetensorsFile"/>), checked against a module key by key before anything is copied, as
/// <c>load_state_dict(strict=True)</c> does, but naming the first differing keys of each kind.
/// </summary>
public static class StateDict
{
    /// <summary>How many keys of each kind (missing, unexpected, shape) a mismatch message names.</summary>
    public const int Shown = 5;

    /// <summary>
    /// The tensors of the file by key; the caller disposes them. A training checkpoint wraps the state_dict in a
    /// dictionary with other entries (<c>{"epoch": …, "state_dict": …, "optimizer": …}</c>): the state_dict is then the
    /// entry <paramref name="key"/> names, or without one the only entry that is a dictionary of tensors. Only the
    /// chosen state_dict's tensors are read (<see cref="TorchArchive"/>, <see cref="SafetensorsFile"/>).
    /// </summary>
    public static (Dictionary<string, Tensor> Tensors, string? Entry) Read(string path, string? key = null)
    {
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            if (key is not null)
                throw new AdvexException($"checkpoint {path} is a safetensors file, one flat state_dict: it has no entry '{key}'");
            return (SafetensorsFile.Read(path), null);
        }
        using var archive = new TorchArchive(path);
        if (archive.Root is not PickleDict table)
            throw new AdvexException($"checkpoint {path} holds {Describe(archive.Root)}, not a state_dict" +
                                     (archive.Root is PickleObject ? ": save model.state_dict() instead of the model" : ""));
        var (chosen, entry) = Unwrap(table, path, key);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var (k, v) in chosen.Entries) result[(string)k!] = archive.Materialize((TensorRef)v!, (string)k!);
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return (result, entry);
    }

    /// <summary>The state_dict inside a checkpoint: the table itself when it maps names to tensors, else the entry
    /// <paramref name="key"/> names, else its only entry that is a dictionary of tensors.</summary>
    private static (PickleDict Table, string? Entry) Unwrap(PickleDict table, string path, string? key)
    {
        if (key is null && IsStateDict(table)) return (table, null);
        var entries = table.Entries.Select(e => e.Key?.ToString() ?? "None").Order(StringComparer.Ordinal).ToList();
        var candidates = table.Entries.Where(e => e.Key is string && e.Value is PickleDict d && IsStateDict(d))
            .Select(e => (string)e.Key!).Order(StringComparer.Ordinal).ToList();
        if (key is not null)
        {
            if (!table.TryGet(key, out var value))
                throw new AdvexException($"checkpoint {path} has no entry '{key}' (it has {List(entries)})");
            if (value is PickleDict inner && IsStateDict(inner)) return (inner, key);
            throw new AdvexException($"checkpoint {path}: entry '{key}' is not a state_dict (a dictionary of tensors) but {Describe(value)}" +
                (candidates.Count > 0 ? $"; {List(candidates)} {(candidates.Count == 1 ? "is" : "are")}" : ""));
        }
        if (candidates.Count == 1)
        {
            table.TryGet(candidates[0], out var only);
            return ((PickleDict)only!, candidates[0]);
        }
        if (candidates.Count > 1)
            throw new AdvexException(
                $"checkpoint {path} holds {candidates.Count} state_dicts ({List(candidates)}): choose one with --checkpoint-key");
        var odd = table.Entries.Where(e => e.Value is not TensorRef).MinBy(e => e.Key?.ToString(), StringComparer.Ordinal);
        throw new AdvexException(table.Entries.Any(e => e.Value is TensorRef) && odd.Key is not null
            ? $"checkpoint {path} is not a state_dict of tensors (entry '{odd.Key}' is {Describe(odd.Value)})"
            : $"checkpoint {path} holds no state_dict: none of its entries ({List(entries)}) is a dictionary of tensors");
    }

    /// <summary>What a pickled value is, in Python's words (never walks into it).</summary>
    private static string Describe(object? value) => value switch
    {
        null => "None",
        string => "a string",
        bool => "a bool",
        long or double or System.Numerics.BigInteger => "a number",
        byte[] => "bytes",
        TensorRef => "a tensor",
        PickleDict => "a dict",
        PickleList => "a list",
        PickleTuple => "a tuple",
        PickleGlobal g => $"a reference to {g}",
        PickleObject o => $"a pickled Python object of class {o.Type}",
        _ => "a Python value",
    };

    private static bool IsStateDict(PickleDict d) =>
        d.Count > 0 && d.Entries.All(e => e.Key is string && e.Value is TensorRef);

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
