namespace Advex.Tests.IO;

using System.Diagnostics;
using Advex.Defenses;
using Advex.IO;

/// <summary>JSON state and binary checkpoint files are untrusted: special files, huge declared sizes, truncation and
/// malformed JSON are one message naming the file, within seconds, with nothing allocated for the declared size.</summary>
public sealed class CheckedReaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("advex-checked-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_binary_file_declaring_two_billion_arrays_is_refused_before_allocating()
    {
        var path = Path.Combine(dir, "best.bin");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(int.MaxValue), .. new byte[16]]);
        var e = Assert.Throws<AdvexException>(() => WeightSnapshot.Load(path));
        Assert.Contains("is damaged", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_negative_or_truncated_array_length_is_refused()
    {
        var negative = Path.Combine(dir, "negative.bin");
        File.WriteAllBytes(negative, [.. BitConverter.GetBytes(1), .. BitConverter.GetBytes(-5)]);
        Assert.Contains("declares -5 items", Assert.Throws<AdvexException>(() => WeightSnapshot.Load(negative)).Message);
        var truncated = Path.Combine(dir, "truncated.bin");
        File.WriteAllBytes(truncated, [.. BitConverter.GetBytes(2), .. BitConverter.GetBytes(1), .. new byte[4]]);
        Assert.Contains("ends early", Assert.Throws<AdvexException>(() => WeightSnapshot.Load(truncated)).Message);
    }

    [Fact]
    public void A_saved_snapshot_reads_back()
    {
        using var module = TorchSharp.torch.nn.Linear(3, 2);
        var path = Path.Combine(dir, "w.bin");
        WeightSnapshot.Of(module).Save(path);
        using var other = TorchSharp.torch.nn.Linear(3, 2);
        WeightSnapshot.Load(path).RestoreInto(other);
        Assert.True(module.weight!.allclose(other.weight!, rtol: 0, atol: 0));
    }

    [Fact]
    public async Task A_named_pipe_is_refused_without_blocking()
    {
        var fifo = Path.Combine(dir, "state.json");
        using (var mk = Process.Start("mkfifo", [fifo])) await mk.WaitForExitAsync();
        var read = Task.Run(() => Assert.Throws<AdvexException>(() => JsonFile.Read<Dictionary<string, int>>(fifo, "training state")));
        var e = await read.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("named pipe", e.Message);
    }

    [Fact]
    public void A_sparse_file_above_the_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(dir, "run.json");
        using (var f = File.Create(path)) f.SetLength(JsonFile.Limit + 1);
        Assert.Contains("more than the", Assert.Throws<AdvexException>(() => JsonFile.ReadText(path, "run manifest")).Message);
    }

    [Fact]
    public void Malformed_and_null_json_name_the_file()
    {
        var path = Path.Combine(dir, "state.json");
        File.WriteAllText(path, "{\"a\": [");
        Assert.Contains($"training state {path} is not valid", Assert.Throws<AdvexException>(() => JsonFile.Read<Dictionary<string, int>>(path, "training state")).Message);
        File.WriteAllText(path, "null");
        Assert.Contains("is empty (null)", Assert.Throws<AdvexException>(() => JsonFile.Read<Dictionary<string, int>>(path, "training state")).Message);
    }

    [Fact]
    public void A_sparse_records_file_above_two_gigabytes_is_refused_by_name()
    {
        var path = Path.Combine(dir, "samples.jsonl");
        using (var f = File.Create(path)) f.SetLength(3L << 30);
        var e = Assert.Throws<AdvexException>(() => Advex.Evaluation.RecordFile.Read<Dictionary<string, int>>(path, "record", (_, _) => null));
        Assert.Contains($"records file {path} has", e.Message);
        Assert.Equal(3L << 30, new FileInfo(path).Length);
    }
}
