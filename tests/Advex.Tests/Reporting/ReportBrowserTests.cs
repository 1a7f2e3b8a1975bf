namespace Advex.Tests.Reporting;

using System.Globalization;
using System.Text.Json;
using Advex.Cli;
using Advex.Cli.Commands;
using Advex.Tests.Support;
using Advex.Workflows;
using Microsoft.Playwright;
using Xunit.Abstractions;

/// <summary>
/// The demo's report as a person sees it: headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright)
/// opens the page on a laptop-sized and a phone-sized screen. No console error, every image decoded, the key numbers
/// of the JSON in the DOM, nothing cut off or scrolling sideways at either width (on the phone, table rows become blocks); screenshots are saved and their paths printed.
/// Where Chromium is absent the test is skipped with the reason, unless ADVEX_REQUIRE_SYSTEM=1 (CI), where that fails.
/// </summary>
public sealed class ReportBrowserTests(ITestOutputHelper output)
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>The demo's path through every step, on a few images so the test takes seconds.</summary>
    private static readonly DemoPlan Tiny = new(1, 2_000, 200, 40, 20, 10, 2, 0.1, 4, 10, 1, 1_000, 1, 1_000, 1, 1_000);

    [SkippableFact]
    public async Task Demo_report_opens_in_chromium_with_every_image_and_the_key_numbers()
    {
        SystemPackage.Require(File.Exists(Chromium), Chromium, "chromium");

        var dir = Paths.TempDir();
        var log = new StringWriter();
        // ADVEX_DOCS_SCREENSHOTS=1: the real demo --quick, and its first screens saved as docs/report-1280.png and
        // docs/report-390.png (minutes; the docs' screenshots come from here)
        var docs = Environment.GetEnvironmentVariable("ADVEX_DOCS_SCREENSHOTS") == "1";
        var index = DemoCommand.Run(new Ui(log, log, quiet: true),
            new DemoJob { Plan = docs ? DemoPlan.Quick : Tiny, OutDir = dir, Seed = 0, Command = docs ? "advex demo --quick" : "advex demo (test plan)" });
        Assert.Equal(Path.Combine(Path.GetFullPath(dir), "report", "index.html"), index);
        Assert.Contains($"open the report: {index}", log.ToString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var shots = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(shots);

        foreach (var (name, width, height) in new[] { ("laptop", 1280, 800), ("phone", 390, 844) })
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
            var errors = new List<string>();
            page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
            page.PageError += (_, e) => errors.Add(e);
            page.RequestFailed += (_, r) => errors.Add($"request failed: {r.Url}");
            await page.GotoAsync(new Uri(index).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
            var shot = Path.Combine(shots, $"report-{name}.png");
            await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
            output.WriteLine($"screenshot ({name}, {width}x{height}): {shot}");
            if (docs)
                await page.ScreenshotAsync(new() { Path = Path.Combine(Paths.Root, "docs", $"report-{width}.png"), FullPage = false });
            var height0 = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
            output.WriteLine($"page height at {width} px: {height0} px");
            // the first screen answers how robust, against what, and whether the checks passed
            var summary = await page.Locator("#summary-table").BoundingBoxAsync();
            Assert.NotNull(summary);
            if (name == "laptop") Assert.True(summary!.Y + summary.Height <= height, $"the summary table ends at {summary.Y + summary.Height} px");

            var images = await page.EvaluateAsync<JsonElement>(
                "() => Array.from(document.images).map(i => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 }))");
            Assert.True(images.GetArrayLength() >= 6, $"only {images.GetArrayLength()} images");
            foreach (var img in images.EnumerateArray())
                Assert.True(img.GetProperty("ok").GetBoolean(), $"image not loaded: {img.GetProperty("src").GetString()}");
            Assert.Empty(errors);

            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 1, $"the page scrolls sideways by {overflow} px at {width} px");
            // nothing sticks out of the screen, and no box (a table's, a caption's) scrolls sideways or clips its text
            var cut = await page.EvaluateAsync<string[]>(NothingCutScript);
            Assert.True(cut.Length == 0, $"at {width} px: {string.Join(" | ", cut)}");
            if (name == "laptop") await AssertKeyNumbers(page, dir);
            else
            {
                // on a phone each row of a table is a block of "column: value" lines
                var labels = await page.EvaluateAsync<string[]>(
                    "() => Array.from(document.querySelectorAll('#summary-table tbody tr:first-child td')).map(td => td.dataset.label)");
                Assert.Equal(["model", "budget", "robust accuracy (worst case)", "clean accuracy", "sanity checks", "against"], labels);
                Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('#summary-table thead')).display"));
            }
            await page.CloseAsync();
        }
    }

    /// <summary>Every visible element that ends right of the screen's edge, and every box whose content is wider than
    /// the box itself while it scrolls or clips it (not <c>overflow: visible</c>), described for the failure message.</summary>
    private const string NothingCutScript = """
        () => {
          const width = document.documentElement.clientWidth, found = [];
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
            + ' "' + (e.textContent || '').trim().slice(0, 40) + '"';
          for (const e of document.querySelectorAll('body *')) {
            const r = e.getBoundingClientRect();
            if (r.width > 0 && r.right > width + 0.5) found.push(`${name(e)} ends at ${Math.round(r.right)} px`);
            if (getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1)
              found.push(`${name(e)} is ${e.scrollWidth} px wide in ${e.clientWidth} px`);
          }
          return found.slice(0, 8);
        }
        """;

    private static async Task AssertKeyNumbers(IPage page, string dir)
    {
        static string Pct(double v) => (v * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";
        async Task<string> Text(string selector) => await page.Locator(selector).InnerTextAsync();

        var fgsm = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "fgsm", "eval.json"))).RootElement;
        Assert.Contains(Pct(fgsm.GetProperty("clean_accuracy").GetDouble()), await Text("#clean-table"));
        Assert.Contains(Pct(fgsm.GetProperty("clean_accuracy").GetDouble()), await Text("#card-clean-accuracy"));
        var robustness = await Text("#robustness-table");
        foreach (var run in fgsm.GetProperty("runs").EnumerateArray())
            Assert.Contains(Pct(run.GetProperty("robust_accuracy").GetDouble()), robustness);

        var strong = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "pgd-apgd", "eval.json"))).RootElement;
        var worst = strong.GetProperty("worst_case")[0].GetProperty("robust_accuracy").GetDouble();
        Assert.Contains(Pct(worst), await Text("#worst-case-table"));
        Assert.Contains("autoattack", await Text("#timing-table"));
        var stages = await Text("#stages-table");
        foreach (var stage in strong.GetProperty("runs").EnumerateArray().First(r => r.GetProperty("attack").GetString() == "autoattack")
                     .GetProperty("stages").EnumerateArray())
            Assert.Contains($"{stage.GetProperty("attack").GetString()}\t{Pct(stage.GetProperty("robust_accuracy").GetDouble())}", stages);
        // small multiples: every accuracy chart is about one model and one norm
        var captions = await page.Locator("#robustness figcaption").AllInnerTextsAsync();
        Assert.True(captions.Count >= 4, string.Join(" | ", captions));
        foreach (var caption in captions.Where(c => c.StartsWith("Model ", StringComparison.Ordinal)))
            Assert.True(caption.Contains("L∞") ^ caption.Contains("L2"), caption);
        Assert.Contains(captions, c => c.Contains("hardened", StringComparison.Ordinal));

        var optimizers = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "optimizers", "optimizers.json"))).RootElement;
        Assert.Contains(Pct(optimizers.GetProperty("optimizers")[0].GetProperty("success_rate").GetDouble()),
            await Text("#optimizers-table"));

        Assert.True(await page.Locator("#sanity .badge").CountAsync() >= 8);
        // the tiny plan trains one epoch: per-epoch tables, and no one-dot curves
        Assert.True(await page.Locator("#training table").CountAsync() >= 2);
        foreach (var id in new[] { "summary", "metadata", "clean", "robustness", "worst-case", "timing", "examples", "sanity", "optimizers", "training", "generative" })
            Assert.DoesNotContain("Not run", await Text($"#{id}"));
        var advgan = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "advgan-eval", "eval.json"))).RootElement;
        Assert.Contains("advgan", await Text("#robustness"));
        Assert.Contains(Pct(advgan.GetProperty("runs")[0].GetProperty("robust_accuracy").GetDouble()), await Text("#robustness"));
        // one-epoch runs: the GAN's samples and AdvGAN's grid, no one-dot curves
        Assert.True(await page.Locator("#generative img").CountAsync() >= 2, "AdvGAN grid and GAN samples");
        var generative = await Text("#generative");
        Assert.Contains("inception_score", generative);
        Assert.Contains("gan/samples_epoch_001.png", generative);
        Assert.DoesNotContain("gan/samples.png", generative); // the same grid as the last epoch's
        var hardened = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "hardened-eval", "eval.json"))).RootElement;
        Assert.Contains(Pct(hardened.GetProperty("runs")[1].GetProperty("robust_accuracy").GetDouble()), await Text("#robustness"));
    }
}
