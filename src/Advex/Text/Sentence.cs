namespace Advex.Text;

/// <summary>One labelled sentence of <c>sentences.tsv</c>: its split (train, val, test), label, source and text.</summary>
public sealed record Sentence(string Split, int Label, string Source, string Text);
