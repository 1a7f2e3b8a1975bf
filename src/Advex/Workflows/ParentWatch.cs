namespace Advex.Workflows;

using System.Diagnostics;

/// <summary>
/// Ties a worker process to its parent (<see cref="EvalWorkers"/>): the parent gives each worker a pipe as standard
/// input and never writes to it; when the parent ends for any reason (kill -9 included) the kernel closes the pipe,
/// the worker reads end-of-file and kills itself at once. Its records are flushed per batch, so the shard resumes.
/// </summary>
public static class ParentWatch
{
    /// <summary>Set (to 1) in a worker's environment by its parent.</summary>
    public const string Variable = "ADVEX_WORKER_OF_PARENT";

    /// <summary>Starts watching standard input when this process is a worker; does nothing otherwise.</summary>
    public static void StartIfWorker()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1") return;
        var stdin = Console.OpenStandardInput();
        var thread = new Thread(() =>
        {
            var buffer = new byte[256];
            try
            {
                while (stdin.Read(buffer, 0, buffer.Length) > 0)
                {
                    // the parent never writes; anything read is ignored
                }
            }
            catch (IOException)
            {
                // a broken pipe means the same: the parent is gone
            }
            Process.GetCurrentProcess().Kill();
        })
        {
            IsBackground = true,
            Name = "advex-parent-watch",
        };
        thread.Start();
    }
}
