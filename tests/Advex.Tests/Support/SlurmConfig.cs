namespace Advex.Tests.Support;

/// <summary>
/// A slurm.conf for a one-node cluster on this host, with every state, spool, pid and log file under
/// <see cref="Dir"/>, its own ports (free ones, so a system Slurm is not disturbed) and munge reached through the
/// test's own socket. root runs the daemons and the jobs (<c>SlurmUser=root</c>); processes are tracked through
/// /proc and tasks are not bound (no cgroups needed, so it also runs inside a container).
/// </summary>
public sealed record SlurmConfig(string Dir, string Host, int Cpus, long RealMemoryMb, string MungeSocket)
{
    public int ControllerPort { get; } = FreePort.Next();
    public int NodePort { get; } = FreePort.Next();

    public string File => Path.Combine(Dir, "slurm.conf");
    public string ControllerLog => Path.Combine(Dir, "log", "slurmctld.log");
    public string NodeLog => Path.Combine(Dir, "log", "slurmd.log");
    public string ControllerPidFile => Path.Combine(Dir, "slurmctld.pid");
    public string NodePidFile => Path.Combine(Dir, "slurmd.pid");

    /// <summary>This host: its short name, its CPU count (nproc) and its memory less a margin.</summary>
    public static SlurmConfig ForThisHost(string dir, string mungeSocket) =>
        new(dir, Environment.MachineName.Split('.')[0], Environment.ProcessorCount, MemoryMb() * 9 / 10, mungeSocket);

    public string Text => string.Join('\n',
        "ClusterName=advextest",
        $"SlurmctldHost={Host}(127.0.0.1)",
        $"SlurmctldPort={ControllerPort}",
        $"SlurmdPort={NodePort}",
        "SlurmUser=root",
        "SlurmdUser=root",
        "AuthType=auth/munge",
        "CredType=cred/munge",
        $"AuthInfo=socket={MungeSocket}",
        $"StateSaveLocation={Path.Combine(Dir, "state")}",
        $"SlurmdSpoolDir={Path.Combine(Dir, "spool")}",
        $"SlurmctldPidFile={ControllerPidFile}",
        $"SlurmdPidFile={NodePidFile}",
        $"SlurmctldLogFile={ControllerLog}",
        $"SlurmdLogFile={NodeLog}",
        "ProctrackType=proctrack/linuxproc",
        "TaskPlugin=task/none",
        "SelectType=select/cons_tres",
        "SelectTypeParameters=CR_CPU",
        "SlurmdParameters=config_overrides",
        "ReturnToService=2",
        "MpiDefault=none",
        "JobAcctGatherType=jobacct_gather/none",
        "AccountingStorageType=accounting_storage/none",
        $"NodeName={Host} NodeAddr=127.0.0.1 CPUs={Cpus} RealMemory={RealMemoryMb} State=UNKNOWN",
        $"PartitionName=debug Nodes={Host} Default=YES MaxTime=INFINITE State=UP",
        "");

    /// <summary>Writes slurm.conf and makes the folders it names.</summary>
    public void Write()
    {
        foreach (var sub in new[] { "state", "spool", "log" }) Directory.CreateDirectory(Path.Combine(Dir, sub));
        System.IO.File.WriteAllText(File, Text);
    }

    private static long MemoryMb()
    {
        var line = System.IO.File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }
}
