namespace Advex.Tests.Training;

using Advex.Tests.Support;
using Advex.Workflows;

/// <summary>
/// The one rule of <see cref="TrainOutputCheck"/> for the four training commands (issue 26): a folder holding a run
/// of the same command is refused unless the job resumes it; what does not belong to such a run is not a reason to
/// refuse. The refusals themselves, end to end, are in the bad-input corpus (gan-out-holds-run, …).
/// </summary>
public sealed class TrainOutputCheckTests
{
    [Fact]
    public void A_gan_folder_holding_only_the_cached_scorer_is_accepted_and_one_with_a_generator_only_with_resume()
    {
        var dir = Paths.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, GanWorkflow.ScorerDir));
        TrainOutputCheck.Check(new GanJob { OutDir = dir });
        File.WriteAllText(Path.Combine(dir, "generator.bin"), "x");
        var e = Assert.Throws<AdvexException>(() => TrainOutputCheck.Check(new GanJob { OutDir = dir }));
        Assert.Contains("already holds a GAN training run (generator.bin)", e.Message);
        Assert.Contains("resume", e.Parameters);
        TrainOutputCheck.Check(new GanJob { OutDir = dir, Resume = true });
    }

    [Fact]
    public void An_advgan_folder_is_not_taken_for_a_classifier_run_and_the_reverse()
    {
        var dir = Paths.TempDir();
        File.WriteAllText(Path.Combine(dir, "advgan-training.json"), "{}");
        TrainOutputCheck.Check(new TrainJob { OutDir = dir });
        Assert.Throws<AdvexException>(() => TrainOutputCheck.Check(new AdvGanJob { Target = "m", OutDir = dir }));
        TrainOutputCheck.Check(new AdvGanJob { Target = "m", OutDir = dir, Resume = true });
    }

    [Fact]
    public void A_text_study_is_refused_only_for_what_it_would_write_and_never_offers_resume()
    {
        var dir = Paths.TempDir();
        Directory.CreateDirectory(Path.Combine(dir, TextStudyWorkflow.SeedDir(3)));
        TrainOutputCheck.Check(new TextStudyJob { OutDir = dir, Seeds = [1, 2] });
        var e = Assert.Throws<AdvexException>(() => TrainOutputCheck.Check(new TextStudyJob { OutDir = dir, Seeds = [2, 3] }));
        Assert.Equal($"{dir} already holds a text training run (seed-3); its result is never replaced: train into another folder", e.Message);
        Assert.Empty(e.Parameters);
    }
}
