namespace Advex.Attacks.Core;

/// <summary>
/// Progress inside one attack call, for a progress bar: <see cref="Work"/> is the gradient evaluations plus
/// forward-only queries counted so far over all rows of the batch; <see cref="Parts"/> are the parts being run, outer
/// first (a cascade's stage, then a target of a target sweep), empty for a plain attack.
/// </summary>
public sealed record AttackStep(long Work, IReadOnlyList<AttackPart> Parts);

/// <summary>Part <see cref="Index"/> of <see cref="Count"/> (0-based), entered on <see cref="Rows"/> rows when the
/// batch's work stood at <see cref="WorkAtStart"/>.</summary>
public sealed record AttackPart(string Name, int Index, int Count, int Rows, long WorkAtStart);
