namespace Advex;

/// <summary>Lists of names in messages and help text: "a, b and c", "a, b or c".</summary>
public static class Listing
{
    /// <summary>"a", "a or b", "a, b or c".</summary>
    public static string Or(IEnumerable<string> items) => Join(items, "or");

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string And(IEnumerable<string> items) => Join(items, "and");

    private static string Join(IEnumerable<string> items, string last)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Join("", list) : $"{string.Join(", ", list[..^1])} {last} {list[^1]}";
    }
}
