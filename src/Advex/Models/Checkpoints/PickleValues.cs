namespace Advex.Models.Checkpoints;

/// <summary>A Python dict read from a pickle: its entries in insertion order (a later equal key replaces the value,
/// as in Python). Keys that are strings are indexed; other keys are kept but looked up by scanning.</summary>
public sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> entries = [];
    private readonly Dictionary<string, int> byName = new(StringComparer.Ordinal);

    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => entries;

    public int Count => entries.Count;

    public void Set(object? key, object? value)
    {
        if (key is string s)
        {
            if (byName.TryGetValue(s, out var i)) entries[i] = new(key, value);
            else
            {
                byName[s] = entries.Count;
                entries.Add(new(key, value));
            }
        }
        else entries.Add(new(key, value));
    }

    public bool TryGet(string key, out object? value)
    {
        var found = byName.TryGetValue(key, out var i);
        value = found ? entries[i].Value : null;
        return found;
    }
}

/// <summary>A Python list read from a pickle.</summary>
public sealed class PickleList : List<object?>;

/// <summary>A Python tuple read from a pickle.</summary>
public sealed record PickleTuple(object?[] Items);

/// <summary>A reference to a Python global (<c>module.name</c>): never imported, never called.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>An instance of a Python class the reader does not know (its class, its constructor arguments, and what
/// BUILD, APPEND and SETITEM gave it): recorded as data, never constructed.</summary>
public sealed class PickleObject(PickleGlobal type, object? arguments)
{
    public PickleGlobal Type { get; } = type;
    public object? Arguments { get; } = arguments;
    public object? State { get; set; }
    public PickleList Items { get; } = [];
    public PickleDict Entries { get; } = new();
}

/// <summary>A tensor storage named by a pickle's persistent id: the archive entry <c>data/Key</c> holding
/// <see cref="Elements"/> values of <see cref="DType"/>.</summary>
public sealed record StorageRef(string Key, TorchSharp.torch.ScalarType DType, long Elements);

/// <summary>A tensor as <c>torch._utils._rebuild_tensor_v2</c> describes it: a view of a storage, not yet read.</summary>
public sealed record TensorRef(StorageRef Storage, long Offset, long[] Shape, long[] Stride);
