namespace Advex.Generative;

/// <summary>Where AdvGAN's C&amp;W margin is taken: on softmax probabilities (step 000 of the original notes and the reference
/// implementation) or on logits (Carlini &amp; Wagner's f₆).</summary>
public enum MarginSpace
{
    Probabilities,
    Logits,
}

public static class MarginSpaces
{
    public static MarginSpace Parse(string name) => name switch
    {
        "probs" => MarginSpace.Probabilities,
        "logits" => MarginSpace.Logits,
        _ => throw AdvexException.About($"margin must be probs or logits (got '{name}')", "margin"),
    };

    public static string Name(this MarginSpace m) => m == MarginSpace.Probabilities ? "probs" : "logits";
}
