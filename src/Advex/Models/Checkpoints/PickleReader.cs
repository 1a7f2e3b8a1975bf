namespace Advex.Models.Checkpoints;

using System.Buffers.Binary;
using System.Text;

/// <summary>
/// A pickle reader (protocols 2–5, as <c>torch.save</c> writes them) that runs no code and bounds its work. Globals
/// are recorded as names and never imported; a call (REDUCE, NEWOBJ) of a global it does not know becomes a
/// <see cref="PickleObject"/> holding its arguments. The only calls it interprets are the ones a state_dict needs:
/// <c>collections.OrderedDict</c> (a dict) and <c>torch._utils._rebuild_tensor(_v2)</c> / <c>_rebuild_parameter</c>
/// (a <see cref="TensorRef"/>, read later by <see cref="TorchArchive"/>).
/// Bounds: the pickle is at most <see cref="MaxBytes"/> bytes and <see cref="MaxInstructions"/> instructions; every
/// length is checked against the bytes left before anything is allocated; a memo reference is a reference (a value
/// shared a billion times is built once, and nothing ever walks the result recursively, so cycles and
/// shared-reference bombs cost nothing); the MARK stack is at most <see cref="MaxMarks"/> deep; SIGINT/SIGTERM are
/// checked every 65,536 instructions.
/// </summary>
public sealed class PickleReader
{
    /// <summary>The largest pickle read (torch.save's data.pkl of a large model is a few MB).</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>The most instructions executed.</summary>
    public const long MaxInstructions = 50_000_000;

    /// <summary>The deepest MARK nesting.</summary>
    public const int MaxMarks = 10_000;

    private static readonly object Mark = new();
    private readonly byte[] data;
    private readonly string name;
    private readonly Func<PickleTuple, object> persistent;
    private readonly List<object?> stack = [];
    private readonly Stack<int> marks = new();
    private readonly Dictionary<long, object?> memo = [];
    private int pos;

    /// <param name="data">the pickle</param>
    /// <param name="name">the file, for messages</param>
    /// <param name="persistent">resolves a persistent id (BINPERSID) to a value</param>
    public PickleReader(byte[] data, string name, Func<PickleTuple, object> persistent)
    {
        if (data.LongLength > MaxBytes)
            throw new AdvexException($"{name}: its pickle has {data.LongLength} bytes, more than the {MaxBytes} Advex reads");
        (this.data, this.name, this.persistent) = (data, name, persistent);
    }

    /// <summary>The pickled value.</summary>
    public object? Read()
    {
        for (long count = 0; ; count++)
        {
            if (count >= MaxInstructions)
                throw Bad($"more than {MaxInstructions} pickle instructions (refused as a pickle bomb)");
            if ((count & 0xFFFF) == 0) Interruption.ThrowIfRequested(() => $"while reading {name}; nothing was written");
            var at = pos;
            var op = Byte();
            switch (op)
            {
                case 0x80: Byte(); break;                                   // PROTO
                case 0x95: Bytes(8); break;                                 // FRAME (length only)
                case (byte)'}': Push(new PickleDict()); break;              // EMPTY_DICT
                case (byte)']': Push(new PickleList()); break;              // EMPTY_LIST
                case (byte)')': Push(new PickleTuple([])); break;           // EMPTY_TUPLE
                case 0x8f: Push(new PickleList()); break;                   // EMPTY_SET (as a list)
                case (byte)'(':                                             // MARK
                    if (marks.Count >= MaxMarks) throw Bad($"pickle nests more than {MaxMarks} levels");
                    marks.Push(stack.Count);
                    break;
                case (byte)'0': Pop(); break;                               // POP
                case (byte)'1': PopMark(); break;                           // POP_MARK
                case (byte)'2': Push(Top()); break;                         // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Bytes(4))); break;
                case (byte)'K': Push((long)Byte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2))); break;
                case 0x8a: Push(Long(Byte())); break;                       // LONG1
                case 0x8b: Push(Long(Length(4))); break;                    // LONG4
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Bytes(8))); break;
                case (byte)'X': Push(Text(Length(4))); break;               // BINUNICODE
                case 0x8c: Push(Text(Byte())); break;                       // SHORT_BINUNICODE
                case 0x8d: Push(Text(Length(8))); break;                    // BINUNICODE8
                case (byte)'T': Push(Encoding.Latin1.GetString(Bytes(Length(4)))); break; // BINSTRING
                case (byte)'U': Push(Encoding.Latin1.GetString(Bytes(Byte()))); break;    // SHORT_BINSTRING
                case (byte)'B': Push(Bytes(Length(4)).ToArray()); break;    // BINBYTES
                case (byte)'C': Push(Bytes(Byte()).ToArray()); break;       // SHORT_BINBYTES
                case 0x8e or 0x96: Push(Bytes(Length(8)).ToArray()); break; // BINBYTES8, BYTEARRAY8
                case (byte)'t': Push(new PickleTuple(PopMark())); break;    // TUPLE
                case 0x85: Push(new PickleTuple([Pop()])); break;           // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PickleTuple([a, b, c])); break; }
                case (byte)'l': { var list = new PickleList(); list.AddRange(PopMark()); Push(list); break; } // LIST
                case (byte)'d': { var d = new PickleDict(); SetItems(d, PopMark()); Push(d); break; }          // DICT
                case (byte)'a': { var v = Pop(); Append(Top(), [v]); break; }                                  // APPEND
                case (byte)'e' or 0x90: { var items = PopMark(); Append(Top(), items); break; }                // APPENDS, ADDITEMS
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItems(Top(), [k, v]); break; }              // SETITEM
                case (byte)'u': { var items = PopMark(); SetItems(Top(), items); break; }                      // SETITEMS
                case 0x91: { var list = new PickleList(); list.AddRange(PopMark()); Push(list); break; }        // FROZENSET
                case (byte)'q': memo[Byte()] = Top(); break;                                                   // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4))] = Top(); break;        // LONG_BINPUT
                case 0x94: memo[memo.Count] = Top(); break;                                                     // MEMOIZE
                case (byte)'h': Push(Memo(Byte())); break;                                                     // BINGET
                case (byte)'j': Push(Memo(BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4)))); break;         // LONG_BINGET
                case (byte)'c': Push(new PickleGlobal(Line(), Line())); break;                                 // GLOBAL
                case 0x93: { var n = Pop(); var m = Pop(); Push(new PickleGlobal(Str(m), Str(n))); break; }    // STACK_GLOBAL
                case (byte)'R': { var args = Pop(); var f = Pop(); Push(Call(f, args)); break; }               // REDUCE
                case 0x81: { var args = Pop(); var cls = Pop(); Push(Call(cls, args)); break; }                // NEWOBJ
                case 0x92: { Pop(); var args = Pop(); var cls = Pop(); Push(Call(cls, args)); break; }         // NEWOBJ_EX
                case (byte)'b': { var state = Pop(); if (Top() is PickleObject o) o.State = state; break; }    // BUILD
                case (byte)'Q':                                                                                  // BINPERSID
                    Push(Pop() is PickleTuple pid ? persistent(pid) : throw Bad("a persistent id that is not a tuple"));
                    break;
                case (byte)'.':                                                                                  // STOP
                    if (stack.Count != 1) throw Bad($"a pickle that stops with {stack.Count} values on its stack");
                    return stack[0];
                default:
                    throw Bad($"pickle opcode 0x{op:x2} at byte {at}, which Advex does not read (only protocols 2 to 5, as torch.save writes)");
            }
        }
    }

    /// <summary>A call the reader interprets, or the record of one it does not.</summary>
    private object Call(object? callable, object? args)
    {
        if (callable is not PickleGlobal g) throw Bad("a call of something that is not a Python global");
        var a = args is PickleTuple t ? t.Items : [];
        switch (g.ToString())
        {
            case "collections.OrderedDict" when a.Length == 0:
                return new PickleDict();
            case "torch._utils._rebuild_tensor" or "torch._utils._rebuild_tensor_v2" when a.Length >= 4:
                return new TensorRef(
                    a[0] as StorageRef ?? throw Bad($"{g} of something that is not a tensor storage"),
                    a[1] is long offset ? offset : throw Bad($"{g} with a storage offset that is not an integer"),
                    Ints(a[2], g, "size"), Ints(a[3], g, "stride"));
            case "torch._utils._rebuild_parameter" or "torch._utils._rebuild_parameter_with_state" when a.Length >= 1 && a[0] is TensorRef p:
                return p;
            default:
                return new PickleObject(g, args);
        }
    }

    private long[] Ints(object? value, PickleGlobal g, string what) =>
        value is PickleTuple t && t.Items.All(i => i is long)
            ? t.Items.Select(i => (long)i!).ToArray()
            : throw Bad($"{g} with a {what} that is not a tuple of integers");

    private void Append(object? target, IReadOnlyList<object?> items)
    {
        switch (target)
        {
            case PickleList list: list.AddRange(items); break;
            case PickleObject o: o.Items.AddRange(items); break;
            default: throw Bad("APPEND to something that is not a list");
        }
    }

    private void SetItems(object? target, IReadOnlyList<object?> items)
    {
        if (items.Count % 2 != 0) throw Bad("SETITEMS with a key and no value");
        var dict = target switch
        {
            PickleDict d => d,
            PickleObject o => o.Entries,
            _ => throw Bad("SETITEM on something that is not a dict"),
        };
        for (var i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
    }

    private void Push(object? value) => stack.Add(value);

    private object? Pop()
    {
        if (stack.Count == 0 || (marks.Count > 0 && marks.Peek() == stack.Count)) throw Bad("a pickle that pops an empty stack");
        var v = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return v;
    }

    private object? Top() =>
        stack.Count > 0 && (marks.Count == 0 || marks.Peek() < stack.Count) ? stack[^1] : throw Bad("a pickle that reads an empty stack");

    private object?[] PopMark()
    {
        if (marks.Count == 0) throw Bad("a pickle that closes a MARK it never opened");
        var start = marks.Pop();
        var items = stack.GetRange(start, stack.Count - start).ToArray();
        stack.RemoveRange(start, stack.Count - start);
        return items;
    }

    private object? Memo(long key) =>
        memo.TryGetValue(key, out var v) ? v : throw Bad($"a pickle that refers to memo entry {key}, never stored");

    private byte Byte() => pos < data.Length ? data[pos++] : throw Bad("a pickle that ends without STOP (truncated)");

    private ReadOnlySpan<byte> Bytes(long n)
    {
        if (n < 0 || n > data.Length - pos) throw Bad($"a pickle value of {n} bytes at byte {pos}, past its end ({data.Length} bytes)");
        var span = data.AsSpan(pos, (int)n);
        pos += (int)n;
        return span;
    }

    private long Length(int size)
    {
        var b = Bytes(size);
        var n = size == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadInt64LittleEndian(b);
        return n >= 0 && n <= data.Length - pos ? n : throw Bad($"a pickle value declaring {n} bytes at byte {pos}, past its end ({data.Length} bytes)");
    }

    private object Long(long n)
    {
        var b = Bytes(n);
        if (b.Length <= 8)
        {
            long v = b.Length > 0 && (b[^1] & 0x80) != 0 ? -1 : 0;
            for (var i = b.Length - 1; i >= 0; i--) v = (v << 8) | b[i];
            return v;
        }
        return new System.Numerics.BigInteger(b, isUnsigned: false, isBigEndian: false);
    }

    private string Text(long n)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(Bytes(n));
        }
        catch (DecoderFallbackException)
        {
            throw Bad($"a pickle string that is not UTF-8 at byte {pos}");
        }
    }

    private string Line()
    {
        var end = Array.IndexOf(data, (byte)'\n', pos);
        if (end < 0 || end - pos > 1000) throw Bad("a pickle GLOBAL without its name");
        var s = Encoding.UTF8.GetString(data, pos, end - pos);
        pos = end + 1;
        return s;
    }

    private string Str(object? v) => v as string ?? throw Bad("STACK_GLOBAL of something that is not a name");

    private AdvexException Bad(string what) => new($"checkpoint {name} is not a valid torch.save file: {what}");
}
