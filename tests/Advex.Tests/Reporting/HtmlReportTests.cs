namespace Advex.Tests.Reporting;

using Advex.Reporting.Html;
using Advex.Tests.Support;

public sealed class HtmlReportTests
{
    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"<section id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"section {id} missing");
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void Report_has_every_section_with_the_numbers_of_its_inputs()
    {
        var dir = ReportFixtures.RunFolder();
        var index = HtmlReport.Write([dir], Path.Combine(dir, "report"));
        var html = File.ReadAllText(index);

        foreach (var (id, _) in HtmlReport.Sections) Section(html, id);
        Assert.Contains("98.75%", Section(html, "summary"));
        Assert.Contains("0.11%", Section(html, "summary"));
        Assert.Contains("98.75%", Section(html, "clean"));
        Assert.Contains("4.37%", Section(html, "robustness"));
        Assert.Contains("43.21%", Section(html, "robustness"));           // C&W scored at ε = 1
        Assert.Contains("0.11%", Section(html, "worst-case"));
        Assert.Contains("640", Section(html, "timing"));
        Assert.Contains("testbox, 2 cores", Section(html, "metadata"));
        Assert.Contains("badge pass", Section(html, "sanity"));
        Assert.Contains("badge warn", Section(html, "sanity"));
        Assert.Contains("1.9348", Section(html, "optimizers"));
        Assert.Contains("88.11%", Section(html, "training"));
        Assert.Contains("g_loss", Section(html, "generative"));
        Assert.Contains("samples.png", Section(html, "generative"));
        Assert.Contains("examples.png", Section(html, "examples"));
        Assert.Contains("45.67%", Section(html, "universal"));             // held-out fooling rate
        Assert.Contains("43.21%", Section(html, "universal"));             // training fooling rate after the last pass
        Assert.Contains("ε = 0.25", Section(html, "universal"));
        Assert.Contains("perturbation.png", Section(html, "universal"));
        Assert.Contains("76.54%", Section(html, "patch"));                 // held-out success rate
        Assert.Contains("class <strong>3</strong>", Section(html, "patch"));
        Assert.Contains("1.12%", Section(html, "patch"));                  // the baseline without the patch
        Assert.Contains("patched_examples.png", Section(html, "patch"));
        Assert.DoesNotContain("patched_examples.png", Section(html, "examples"));
        Assert.DoesNotContain("patch.json", Section(html, "training"));     // its epochs are the patch's, not a training run
        Assert.DoesNotContain("Not run", html);

        // every image the page refers to is beside it
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(html, "<img src=\"([^\"]+)\""))
            Assert.True(new FileInfo(Path.Combine(dir, "report", m.Groups[1].Value)).Length > 1000, m.Groups[1].Value);
        Assert.True(File.Exists(Path.Combine(dir, "report", "img", "accuracy-vs-eps-0.png")));
        // no network: no external script, style sheet or font
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Report_escapes_every_text_it_shows()
    {
        var dir = Paths.TempDir();
        Advex.Reporting.JsonOutput.Write(Path.Combine(dir, "eval.json"), ReportFixtures.Eval(modelPath: ReportFixtures.HostileName));
        var html = File.ReadAllText(HtmlReport.Write([Path.Combine(dir, "eval.json")], Path.Combine(dir, "report"),
            title: "a <b> title"));
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;", html);
        Assert.Contains("a &lt;b&gt; title", html);
    }

    [Fact]
    public void Report_without_inputs_keeps_every_section_and_says_not_run()
    {
        var dir = Paths.TempDir();
        var html = File.ReadAllText(HtmlReport.Write([dir], Path.Combine(dir, "report")));
        foreach (var (id, _) in HtmlReport.Sections) Assert.Contains("Not run", Section(html, id));
    }

    [Fact]
    public void Report_lists_unknown_json_as_skipped_and_counts_identical_files_once()
    {
        var dir = ReportFixtures.RunFolder();
        File.Copy(Path.Combine(dir, "eval", "eval.json"), Path.Combine(dir, "eval", "copy.json"));
        var inputs = ReportInputs.Load([dir]);
        Assert.Single(inputs.Evals);
        Assert.Single(inputs.Optimizers);
        Assert.Equal(2, inputs.Trainings.Count);
        Assert.Single(inputs.Universals);
        Assert.Single(inputs.Patches);
        Assert.Contains(inputs.Trainings, t => t.Generative && t.Keys.Contains("g_loss"));
        Assert.Contains(inputs.Skipped, s => s.EndsWith("model.json", StringComparison.Ordinal));
    }
}
