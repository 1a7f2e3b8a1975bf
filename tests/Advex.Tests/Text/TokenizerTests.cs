namespace Advex.Tests.Text;

using Advex.Text;

public sealed class TokenizerTests
{
    [Theory]
    [InlineData("Wow... Loved this place.", "wow loved this place")]
    [InlineData("A very, very slow-moving movie!", "a very very slow moving movie")]
    [InlineData("I don't like it", "i do n't like it")]
    [InlineData("It's GREAT, they're great and I've said I'm sure we'll go; I'd go.", "it 's great they 're great and i 've said i 'm sure we 'll go i 'd go")]
    [InlineData("Can't and won't, shan't", "can n't and will n't shall n't")]
    [InlineData("He didn’t come at 10 o'clock", "he did n't come at 10 o'clock")]
    [InlineData("'quoted' words and trailing' apostrophes", "quoted words and trailing apostrophes")]
    [InlineData("shouldn't've", "should n't 've")]
    [InlineData("Café crème 10/10 $5", "café crème 10 10 5")]
    [InlineData("", "")]
    [InlineData("  ... !!! ", "")]
    public void Tokenize_lowercases_splits_on_non_word_characters_and_splits_clitics(string text, string expected)
    {
        Assert.Equal(expected, string.Join(' ', Tokenizer.Tokenize(text)));
    }

    [Fact]
    public void Vocabulary_reserves_pad_and_unknown_and_orders_by_frequency()
    {
        var v = Vocabulary.Build([["b", "a", "b"], ["c", "b", "a"]], ["z", "a"]);
        Assert.Equal(["<pad>", "<unk>", "b", "a", "c", "z"], v.Tokens);
        Assert.Equal(Vocabulary.Unknown, v["never-seen"]);
        Assert.Equal([2L, 3, 1, 0, 0], v.Encode(["b", "a", "nope"], 5));
        Assert.Equal([2L, 3], v.Encode(["b", "a", "c"], 2));
    }
}
