namespace Advex.IO;

using System.Text.Json;
using System.Text.RegularExpressions;

/// <summary>A <see cref="JsonException"/> said in a user's words: where in the JSON and what is wrong, without the
/// .NET type names the serializer puts in its messages.</summary>
public static partial class JsonProblem
{
    [GeneratedRegex(@" (for|on) type '[^']*'")]
    private static partial Regex TypeName();

    [GeneratedRegex(@"\s*Path: .*$|\s*LineNumber: .*$")]
    private static partial Regex Position();

    [GeneratedRegex(@"The JSON value could not be converted to \S+")]
    private static partial Regex Conversion();

    [GeneratedRegex(@"The (constructor parameter|property or field) '[^']*' doesn't allow (setting )?null values.*$")]
    private static partial Regex NullValue();

    public static string Describe(JsonException e)
    {
        var what = Position().Replace(TypeName().Replace(e.Message, ""), "").Trim().TrimEnd('.');
        what = what.Replace("JSON deserialization was missing required properties including: ", "missing ");
        what = Conversion().Replace(what, "a value of the wrong type");
        what = NullValue().Replace(what, "null where a value is required");
        return e.Path is { Length: > 1 } p ? $"at {p}: {what}" : what;
    }
}
