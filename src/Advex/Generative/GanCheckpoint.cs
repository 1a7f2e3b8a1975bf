namespace Advex.Generative;

using System.Text.Json;
using Advex.IO;
using Advex.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

/// <summary>
/// The checkpoint of a generator/discriminator pair (GAN and AdvGAN): both networks, both Adam states and a JSON
/// state record, committed together as one generation of <c>&lt;out&gt;/checkpoint/</c> (<see cref="Checkpoint"/>), so
/// that resume continues exactly and a kill never leaves a mix of epochs.
/// </summary>
internal static class GanCheckpoint
{
    public const string Dir = "checkpoint";

    public static void Save<TState>(string outDir, int epoch, nn.Module g, nn.Module d, OptimizerHelper optG,
        OptimizerHelper optD, TState state) =>
        Checkpoint.Commit(Path.Combine(outDir, Dir), epoch, dir =>
        {
            AtomicFile.Write(Path.Combine(dir, "generator.bin"), tmp => g.save(tmp));
            AtomicFile.Write(Path.Combine(dir, "discriminator.bin"), tmp => d.save(tmp));
            AtomicFile.Write(Path.Combine(dir, "generator_adam.bin"), tmp => optG.save_state_dict(tmp));
            AtomicFile.Write(Path.Combine(dir, "discriminator_adam.bin"), tmp => optD.save_state_dict(tmp));
            AtomicFile.WriteAllText(Path.Combine(dir, "state.json"), JsonSerializer.Serialize(state, ModelStore.Json));
        });

    /// <summary>Reads the state, lets <paramref name="check"/> refuse it (a mismatch message, or null when it fits),
    /// then loads the networks and optimizers.</summary>
    public static TState Load<TState>(string outDir, nn.Module g, nn.Module d, OptimizerHelper optG,
        OptimizerHelper optD, int epochs, Func<TState, int> epochOf, Func<TState, string?> check)
    {
        var dir = Checkpoint.Committed(Path.Combine(outDir, Dir))
                  ?? throw new AdvexException($"nothing to resume: no checkpoint in {Path.Combine(outDir, Dir)}");
        var statePath = Path.Combine(dir, "state.json");
        var state = JsonSerializer.Deserialize<TState>(File.ReadAllText(statePath), ModelStore.Json)
                    ?? throw new AdvexException($"checkpoint {statePath} is empty");
        if (check(state) is { } mismatch) throw new AdvexException($"checkpoint in {dir} {mismatch}");
        if (epochOf(state) >= epochs)
            throw new AdvexException($"the checkpoint in {dir} already has {epochOf(state)} epochs; ask for more with --epochs");
        g.load(Path.Combine(dir, "generator.bin"));
        d.load(Path.Combine(dir, "discriminator.bin"));
        optG.load_state_dict(Path.Combine(dir, "generator_adam.bin"));
        optD.load_state_dict(Path.Combine(dir, "discriminator_adam.bin"));
        return state;
    }
}
