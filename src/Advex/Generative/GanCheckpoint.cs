namespace Advex.Generative;

using Advex.IO;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// The files of a generator/discriminator pair (GAN and AdvGAN) in one checkpoint generation: both networks and both
/// Adam states. The training loop writes them with the trainer's <c>state.json</c> as one unit
/// (<see cref="Training.TrainingCheckpoint"/>).
/// </summary>
internal static class GanCheckpoint
{
    public const string Dir = Training.TrainingCheckpoint.Dir;

    public static void Save(string dir, nn.Module g, nn.Module d, OptimizerHelper optG, OptimizerHelper optD)
    {
        AtomicFile.Write(Path.Combine(dir, "generator.bin"), tmp => g.save(tmp));
        AtomicFile.Write(Path.Combine(dir, "discriminator.bin"), tmp => d.save(tmp));
        AtomicFile.Write(Path.Combine(dir, "generator_adam.bin"), tmp => optG.save_state_dict(tmp));
        AtomicFile.Write(Path.Combine(dir, "discriminator_adam.bin"), tmp => optD.save_state_dict(tmp));
    }

    public static void Load(string dir, nn.Module g, nn.Module d, OptimizerHelper optG, OptimizerHelper optD)
    {
        g.load(Path.Combine(dir, "generator.bin"));
        d.load(Path.Combine(dir, "discriminator.bin"));
        optG.load_state_dict(Path.Combine(dir, "generator_adam.bin"));
        optD.load_state_dict(Path.Combine(dir, "discriminator_adam.bin"));
    }
}
