namespace Advex.Tests.Models.Checkpoints;

using System.Diagnostics;
using Advex.Models.Checkpoints;
using Advex.Tests.Support;

/// <summary>
/// The bounded pickle reader on the crafted checkpoints of tests/fixtures/hostile (scripts/make_hostile_fixtures.py):
/// a shared-reference bomb and a cyclic list cost nothing, a pickled call is recorded and never made, and declared
/// lengths and nesting are checked before anything is allocated.
/// </summary>
public sealed class PickleReaderTests
{
    private static string Hostile(string name) => Path.Combine(Paths.Fixtures, "hostile", name);

    [Fact]
    public void Shared_reference_bomb_beside_a_state_dict_reads_in_seconds_and_yields_the_state_dict()
    {
        Advex.Native.TorchRuntime.EnsureLoaded();
        var clock = Stopwatch.StartNew();
        var (tensors, entry) = StateDict.Read(Hostile("bomb.pth"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal("state_dict", entry);
        Assert.Equal([0f, 1, 2, 3, 4, 5], tensors["w"].data<float>().ToArray()); // torch.arange(6) in the script
        Assert.Equal([2L, 3], tensors["w"].shape);
        Assert.Equal([0.5f, -0.5f], tensors["b"].data<float>().ToArray());
        foreach (var t in tensors.Values) t.Dispose();
    }

    [Fact]
    public void Bomb_is_built_once_per_list_sixty_levels_deep()
    {
        using var archive = new TorchArchive(Hostile("bomb.pth"));
        var root = Assert.IsType<PickleDict>(archive.Root);
        Assert.True(root.TryGet("bomb", out var bomb));
        var levels = 0;
        while (bomb is PickleList { Count: 2 } pair)
        {
            Assert.Same(pair[0], pair[1]); // shared, not copied
            bomb = pair[0];
            levels++;
        }
        Assert.Equal(60, levels);
    }

    [Fact]
    public void Cyclic_list_is_read_as_a_list_that_contains_itself()
    {
        using var archive = new TorchArchive(Hostile("cyclic.pth"));
        Assert.True(Assert.IsType<PickleDict>(archive.Root).TryGet("cyc", out var cyc));
        var list = Assert.IsType<PickleList>(cyc);
        Assert.Same(list, Assert.Single(list));
    }

    [Fact]
    public void A_pickled_call_of_os_system_is_recorded_and_never_made()
    {
        var dir = Paths.TempDir();
        var cwd = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = dir; // the pickle runs "touch pwned" if anything calls it
            using var archive = new TorchArchive(Hostile("evil.pth"));
            Assert.True(Assert.IsType<PickleDict>(archive.Root).TryGet("x", out var x));
            var call = Assert.IsType<PickleObject>(x);
            Assert.Equal("posix.system", call.Type.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = cwd;
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void A_string_declaring_4_GB_in_a_few_bytes_is_refused_before_allocation()
    {
        byte[] pickle = [0x80, 2, (byte)'X', 0xff, 0xff, 0xff, 0xff, (byte)'.'];
        var e = Assert.Throws<AdvexException>(() => new PickleReader(pickle, "x.pth", _ => new object()).Read());
        Assert.Contains("declaring 4294967295 bytes at byte 7, past its end (8 bytes)", e.Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_mark_limit_is_refused()
    {
        var pickle = new byte[] { 0x80, 2 }.Concat(Enumerable.Repeat((byte)'(', PickleReader.MaxMarks + 1)).Append((byte)'.').ToArray();
        var e = Assert.Throws<AdvexException>(() => new PickleReader(pickle, "x.pth", _ => new object()).Read());
        Assert.Contains($"pickle nests more than {PickleReader.MaxMarks} levels", e.Message);
    }

    [Fact]
    public void Memo_reference_to_an_entry_never_stored_is_refused()
    {
        byte[] pickle = [0x80, 2, (byte)'h', 7, (byte)'.'];
        var e = Assert.Throws<AdvexException>(() => new PickleReader(pickle, "x.pth", _ => new object()).Read());
        Assert.Contains("memo entry 7, never stored", e.Message);
    }
}
