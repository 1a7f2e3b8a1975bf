namespace Advex.Tests.IO;

using Advex.IO;
using Advex.Tests.Support;

/// <summary>The one output writer and the run lock: what they replace, refuse, clean up and leave behind.</summary>
public sealed class OutputWriterTests
{
    [Fact]
    public void A_symlink_is_written_through_and_stays_a_link()
    {
        var dir = Paths.TempDir();
        var target = Path.Combine(dir, "real.json");
        File.WriteAllText(target, "old");
        var link = Path.Combine(dir, "link.json");
        File.CreateSymbolicLink(link, "real.json");
        AtomicFile.WriteAllText(link, "new");
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link));
        Assert.Equal("real.json", new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(["link.json", "real.json"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_dangling_symlink_creates_its_target()
    {
        var dir = Paths.TempDir();
        var link = Path.Combine(dir, "link.json");
        File.CreateSymbolicLink(link, "made.json");
        AtomicFile.WriteAllText(link, "x");
        Assert.Equal("x", File.ReadAllText(Path.Combine(dir, "made.json")));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(link));
    }

    [Fact]
    public void A_folder_a_device_or_a_fifo_is_never_replaced()
    {
        var dir = Paths.TempDir();
        var folder = Directory.CreateDirectory(Path.Combine(dir, "out.json")).FullName;
        var fifo = Path.Combine(dir, "pipe");
        System.Diagnostics.Process.Start("mkfifo", [fifo]).WaitForExit();
        foreach (var (path, kind) in new[] { (folder, "a folder"), (fifo, "named pipe"), ("/dev/null", "character device") })
        {
            var e = Assert.Throws<AdvexException>(() => AtomicFile.WriteAllText(path, "x"));
            Assert.Contains(kind, e.Message);
        }
        Assert.Equal(FileKind.Directory, FileKinds.Of(folder));
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));
        Assert.Equal(FileKind.CharacterDevice, FileKinds.Of("/dev/null"));
        Assert.Empty(Directory.EnumerateFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_failed_write_leaves_the_old_file_and_no_temp_file()
    {
        var dir = Paths.TempDir();
        var path = Path.Combine(dir, "model.bin");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, tmp =>
        {
            File.WriteAllText(tmp, "half");
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["model.bin"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Stale_temp_files_of_dead_processes_are_cleaned_at_the_next_write_and_live_ones_are_kept()
    {
        var dir = Paths.TempDir();
        var dead = Path.Combine(dir, $".eval.json.{DeadPid()}.{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(dir, $".eval.json.1.{Guid.NewGuid():N}.tmp"); // pid 1 is always alive
        var otherName = Path.Combine(dir, $".thesis.tex.{DeadPid()}.{Guid.NewGuid():N}.tmp"); // not a temp of eval.json
        var foreign = Path.Combine(dir, ".notes.tmp"); // not the writer's pattern
        foreach (var f in new[] { dead, live, otherName, foreign }) File.WriteAllText(f, "x");
        AtomicFile.WriteAllText(Path.Combine(dir, "eval.json"), "{}");
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(otherName)); // a write only cleans the temporaries of its own destination
        Assert.True(File.Exists(foreign));
    }

    [Fact]
    public void Locking_a_folder_cleans_its_stale_temps_but_never_follows_a_link_or_leaves_the_folder()
    {
        var root = Paths.TempDir();
        var outside = Path.Combine(root, "outside", "deep");
        Directory.CreateDirectory(outside);
        string Temp(string dir, string name) => Path.Combine(dir, $".{name}.{DeadPid()}.{Guid.NewGuid():N}.tmp");
        var outsideTemp = Temp(outside, "thesis.tex");
        File.WriteAllText(outsideTemp, "precious");
        var folder = Path.Combine(root, "out");
        var sub = Path.Combine(folder, "shards", "shard-0");
        Directory.CreateDirectory(sub);
        Directory.CreateSymbolicLink(Path.Combine(folder, "ext"), Path.Combine(root, "outside")); // a link to a folder
        var fileLink = Temp(folder, "eval.json");                                                    // a link named like a temp
        File.CreateSymbolicLink(fileLink, outsideTemp);
        var fifo = Temp(folder, "run.json");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])!) mk.WaitForExit();
        var stale = Temp(folder, "eval.json");
        var staleBelow = Temp(sub, "samples.jsonl");
        File.WriteAllText(stale, "x");
        File.WriteAllText(staleBelow, "x");

        using (RunLock.Acquire(folder, "test")) { }

        Assert.False(File.Exists(stale));
        Assert.False(File.Exists(staleBelow));
        Assert.Equal("precious", File.ReadAllText(outsideTemp));                  // outside the folder: untouched
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(fileLink));              // a link is never removed or followed
        Assert.Equal(FileKind.Fifo, FileKinds.Of(fifo));                           // only regular files are removed
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(Path.Combine(folder, "ext")));
    }

    [Fact]
    public void Output_checks_refuse_before_any_work_and_create_nothing()
    {
        var dir = Paths.TempDir();
        var file = Path.Combine(dir, "afile");
        File.WriteAllText(file, "x");
        Assert.Contains("not a folder", Assert.Throws<AdvexException>(() => OutputPath.CheckFolder(file, "--out")).Message);
        Assert.Contains("is a file", Assert.Throws<AdvexException>(() => OutputPath.CheckFile(Path.Combine(file, "x.json"), "--json")).Message);
        Assert.Contains("cannot create files in /proc",
            Assert.Throws<AdvexException>(() => OutputPath.CheckFolder("/proc/advex-x/y", "--out")).Message);
        OutputPath.CheckFolder(Path.Combine(dir, "new", "deeper"), "--out");
        OutputPath.CheckFile(Path.Combine(dir, "new2", "x.json"), "--json");
        Assert.Equal(["afile"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_run_lock_refuses_a_second_holder_naming_the_first_and_cleans_up()
    {
        var dir = Paths.TempDir();
        var run = Path.Combine(dir, "run");
        using (RunLock.Acquire(run, "advex train --out run"))
        {
            var e = Assert.Throws<AdvexException>(() => RunLock.Acquire(run, "advex eval"));
            Assert.Equal($"{run} is in use by pid {Environment.ProcessId} (advex train --out run)", e.Message);
        }
        Assert.False(Directory.Exists(run), "the lock created the folder and nothing else was written: it is removed");
        using (RunLock.Acquire(run, "again")) File.WriteAllText(Path.Combine(run, "model.json"), "{}");
        Assert.Equal(["model.json"], Directory.GetFileSystemEntries(run).Select(Path.GetFileName));
    }

    private static int DeadPid()
    {
        using var p = System.Diagnostics.Process.Start("true")!;
        p.WaitForExit();
        return p.Id;
    }
}
