namespace Advex.Tests.Attacks;

using Advex.Attacks.Patch;
using Advex.Data;
using Advex.Models;
using Advex.Tests.Support;

/// <summary>The targeted adversarial patch (Brown et al. 2017) on the TorchScript LeNet: it stays an image, it sends
/// held-out images to the target far more often than they go there without it, and its held-out draws do not
/// depend on the batch size.</summary>
public sealed class AdversarialPatchTests
{
    [Fact]
    public void Patch_sends_held_out_images_to_the_target_and_its_draws_ignore_the_batch_size()
    {
        using var _ = new SingleThread();
        using var model = ModelStore.Load(Path.Combine(Paths.TorchScript, "lenet.pt"));
        using var fullTrain = DataSource.Load("mnist", "train");
        using var train = fullTrain.Take(512);
        using var fullTest = DataSource.Load("mnist", "test");
        using var test = fullTest.Take(100);
        var o = new PatchOptions(target: 3, size: 0.4, epochs: 3, lr: 0.1);
        var patch = AdversarialPatch.Train(model, train, o, seed: 0);
        Assert.Equal([1L, 11, 11], patch.Shape);
        Assert.All(patch.Values, v => Assert.InRange(v, 0f, 1f));
        var patched = AdversarialPatch.PatchedPredictions(model, test, patch.Values, patch.Shape, o, seed: 0);
        Assert.Equal(patched, AdversarialPatch.PatchedPredictions(model, test, patch.Values, patch.Shape, o, seed: 0, batchSize: 7));
        var others = Enumerable.Range(0, test.Count).Where(i => test.LabelArray[i] != 3).ToArray();
        var success = others.Count(i => patched[i] == 3) / (double)others.Length;
        var clean = model.Predict(test.Slice(0, test.Count).X).data<long>().ToArray();
        var baseline = others.Count(i => clean[i] == 3) / (double)others.Length;
        Assert.True(success > baseline + 0.1, $"patched {success:P1} vs clean {baseline:P1}");
    }
}
