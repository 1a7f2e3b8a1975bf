namespace Advex.Tests.Support;

/// <summary>
/// A real one-node Slurm cluster on this host for the length of a test: munged, slurmctld and slurmd (Debian's
/// <c>munge</c> and <c>slurm-wlm</c>) started as daemons with their own key, <see cref="SlurmConfig"/>, ports and
/// files under a temporary folder, and client commands pointed at it through <c>SLURM_CONF</c>.
/// <see cref="Start"/> skips the test where the packages are missing (fails under ADVEX_REQUIRE_SYSTEM=1) or where
/// it is not root; <see cref="Dispose"/> cancels every job and stops every daemon, whatever happened.
/// </summary>
public sealed class SingleNodeSlurm : IDisposable
{
    private static readonly (string Program, string Package)[] Needs =
    [
        ("munged", "munge"), ("slurmctld", "slurm-wlm"), ("slurmd", "slurm-wlm"), ("sbatch", "slurm-wlm"),
        ("sinfo", "slurm-wlm"), ("squeue", "slurm-wlm"), ("scancel", "slurm-wlm"),
    ];

    private readonly List<Daemon> daemons = [];

    private SingleNodeSlurm(string dir) => Dir = dir;

    public string Dir { get; }
    public SlurmConfig Config { get; private set; } = null!;

    /// <summary>What a client command needs to reach this cluster.</summary>
    public IReadOnlyDictionary<string, string> Env => new Dictionary<string, string> { ["SLURM_CONF"] = Config.File };

    public static SingleNodeSlurm Start()
    {
        foreach (var (program, package) in Needs)
            SystemPackage.Require(HostProcess.Which(program) is not null, program, package);
        var uid = HostProcess.Run("id", ["-u"]).Out.Trim();
        Skip.If(uid != "0", $"the single-node Slurm runs its daemons and jobs as root (SlurmUser=root); uid is {uid}");

        var slurm = new SingleNodeSlurm(Paths.TempDir());
        try
        {
            slurm.BringUp();
            return slurm;
        }
        catch
        {
            slurm.Dispose();
            throw;
        }
    }

    /// <summary>Runs a Slurm client command (sbatch, sinfo, ...) against this cluster.</summary>
    public HostProcess.Result Run(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var all = new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["SLURM_CONF"] = Config.File };
        return HostProcess.Run(HostProcess.Which(program)!, args, all, timeout);
    }

    /// <summary>The controller's and the node's last log lines, for failure messages.</summary>
    public string Logs() =>
        $"slurmctld.log:\n{Daemon.Tail(Config.ControllerLog)}\nslurmd.log:\n{Daemon.Tail(Config.NodeLog)}";

    private void BringUp()
    {
        var (munged, socket) = MungeDaemon.Start(Path.Combine(Dir, "munge"), HostProcess.Which("munged")!);
        daemons.Add(munged);
        Config = SlurmConfig.ForThisHost(Path.Combine(Dir, "slurm"), socket);
        Config.Write();
        daemons.Add(Daemon.Start("slurmctld", HostProcess.Which("slurmctld")!, ["-f", Config.File],
            Config.ControllerPidFile, Config.ControllerLog));
        daemons.Add(Daemon.Start("slurmd", HostProcess.Which("slurmd")!, ["-f", Config.File, "-N", Config.Host],
            Config.NodePidFile, Config.NodeLog));
        WaitForIdleNode(TimeSpan.FromSeconds(60));
    }

    private void WaitForIdleNode(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var state = "";
        while (DateTime.UtcNow < deadline)
        {
            state = Run("sinfo", ["--noheader", "--Node", "--format=%t"]).Out.Trim();
            if (state == "idle") return;
            Thread.Sleep(250);
        }
        throw new Xunit.Sdk.XunitException($"the Slurm node is not idle after {timeout} (sinfo says '{state}')\n{Logs()}");
    }

    public void Dispose()
    {
        try
        {
            if (Config is not null && daemons.Count == 3)
            {
                Run("scancel", ["--full", "--quiet", "--user=root"]);
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
                while (DateTime.UtcNow < deadline && Run("squeue", ["--noheader"]).Out.Trim().Length > 0) Thread.Sleep(250);
            }
        }
        finally
        {
            foreach (var daemon in Enumerable.Reverse(daemons)) daemon.Dispose();
            try { Directory.Delete(Dir, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // left to the system's temp cleaning
        }
    }
}
