namespace Advex.Tests.Native;

using Advex.Attacks.Core;
using Advex.Data;
using Advex.Models;
using Advex.Native;
using Advex.Tests.Support;
using static TorchSharp.torch;

public class HeapRetentionTests
{
    /// <summary>With glibc's default thresholds a LeNet gradient step at batch 100 faulted in about 2.5 MB of pages
    /// (hundreds of minor faults) every time; with the heap kept, repeated steps reuse its pages. Faults are counted
    /// for this thread only (<c>/proc/thread-self/stat</c>), so tests running beside it do not count.</summary>
    [Fact]
    public void Repeated_gradient_steps_reuse_the_heap_instead_of_faulting_pages_in()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/proc/thread-self/stat")) return;
        HeapRetention.Apply();
        Assert.True(HeapRetention.Active);
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        using var test = DataSource.Load("mnist", "test");
        var (x, y) = test.Slice(0, 100);
        void Step()
        {
            using var scope = NewDisposeScope();
            Gradients.Of(model, x, z => nn.functional.cross_entropy(z, y, reduction: nn.Reduction.Sum));
        }
        for (var i = 0; i < 3; i++) Step(); // warm-up: the heap grows to one step's size
        var before = MinorFaults();
        const int steps = 10;
        for (var i = 0; i < steps; i++) Step();
        var perStep = (MinorFaults() - before) / (double)steps;
        Assert.True(perStep < 50, $"{perStep} minor page faults per gradient step");
        x.Dispose();
        y.Dispose();
    }

    /// <summary>Field 10 of /proc/thread-self/stat (minflt), counted after the command name's closing parenthesis.</summary>
    private static long MinorFaults()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7]);
    }
}
