namespace Advex.Examples;

using Advex.Workflows;

/// <summary>`advex demo --quick` as a library call: LeNet, every attack family, AdvGAN, adversarial training, a GAN
/// and the HTML report, each step one of the other workflows.</summary>
public static class DemoExample
{
    public static DemoOutcome Run(string outDir, DemoPlan? plan = null)
    {
        var lines = new SyncProgress<JobProgress>(p => { if (p.Line != null) Console.WriteLine(p.Line); });
        var demo = DemoWorkflow.Run(new DemoJob { Plan = plan ?? DemoPlan.Quick, OutDir = outDir }, lines);
        Console.WriteLine($"open {demo.Index}");
        return demo;
    }
}
