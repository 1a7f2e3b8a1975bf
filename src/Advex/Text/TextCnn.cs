namespace Advex.Text;

using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

/// <summary>
/// Kim (2014)'s CNN for sentence classification, "non-static" variant: a trainable embedding initialised from
/// pretrained vectors (the padding row stays zero), 1-d convolutions of widths 3, 4, 5 with 100 filters each and ReLU,
/// max-pooling over time, dropout 0.5, and a linear layer to the classes. Input: token indices [N, L] (int64, L ≥ 5);
/// output: logits [N, C]. <see cref="Embed"/> and <see cref="ForwardEmbedded"/> split the two halves so that attacks
/// can work on the embedded sequence. The embedding's parameter is named <see cref="EmbeddingParameter"/>.
/// </summary>
public sealed class TextCnn : Module<Tensor, Tensor>
{
    public const string EmbeddingParameter = "embedding.weight";

    private readonly Embedding embedding;
    private readonly ModuleList<Conv1d> convs;
    private readonly Dropout dropout;
    private readonly Linear fc;

    public TextCnn(Tensor initialEmbeddings, int classes = 2, int filters = 100, int[]? widths = null, double dropout = 0.5)
        : base(nameof(TextCnn))
    {
        widths ??= [3, 4, 5];
        if (initialEmbeddings.dim() != 2) throw new AdvexException("initial embeddings must be a [vocabulary, dimensions] matrix");
        var dims = initialEmbeddings.shape[1];
        // Embedding_from_pretrained in TorchSharp 0.107 leaves the registered weight without a gradient; copy instead.
        embedding = Embedding(initialEmbeddings.shape[0], dims, padding_idx: 0);
        using (no_grad()) embedding.weight!.copy_(initialEmbeddings);
        convs = new ModuleList<Conv1d>(widths.Select(w => Conv1d(dims, filters, w)).ToArray());
        this.dropout = Dropout(dropout);
        fc = Linear(filters * widths.Length, classes);
        EmbeddingDimensions = dims;
        RegisterComponents();
    }

    public long EmbeddingDimensions { get; }

    /// <summary>The embedded sequence [N, L, D] of token indices [N, L].</summary>
    public Tensor Embed(Tensor ids) => embedding.call(ids);

    /// <summary>Logits [N, C] of an embedded sequence [N, L, D].</summary>
    public Tensor ForwardEmbedded(Tensor embedded)
    {
        using var scope = NewDisposeScope();
        var x = embedded.transpose(1, 2);
        var pooled = convs.Select(conv => functional.relu(conv.call(x)).amax([2])).ToList();
        var features = dropout.call(cat(pooled, 1));
        return fc.call(features).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        return ForwardEmbedded(Embed(ids)).MoveToOuterDisposeScope();
    }
}
