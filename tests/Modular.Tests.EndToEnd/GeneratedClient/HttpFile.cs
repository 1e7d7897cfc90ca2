using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Modular.Tests.EndToEnd.GeneratedClient;

/// <summary>
/// Just enough of the .http format (VS Code REST Client, Rider) to run docs/try-it.http: <c>###</c> separates requests,
/// <c># @name x</c> names one, <c># expect 201</c> says what it answers, headers follow the request line, file
/// variables (<c>{{base}}</c>, <c>{{token}}</c>) and <c>{{x.response.body.id}}</c> / <c>{{x.response.body.$[0].id}}</c> are substituted.
/// </summary>
public static partial class HttpFile
{
    public sealed record Request(string Method, string Url, IReadOnlyList<(string Name, string Value)> Headers, string? Body, int Expect, string? Name);

    public static IReadOnlyList<Request> Parse(string text)
    {
        var requests = new List<Request>();
        foreach (var block in text.ReplaceLineEndings("\n").Split("\n###"))
        {
            var lines = block.Split('\n');
            string? name = null;
            int? expect = null;
            var i = 0;
            for (; i < lines.Length; i++)
            {
                var line = lines[i].Trim();
                if (line.StartsWith("# @name ", StringComparison.Ordinal)) name = line[8..].Trim();
                else if (line.StartsWith("# expect ", StringComparison.Ordinal)) expect = int.Parse(line[9..], System.Globalization.CultureInfo.InvariantCulture);
                else if (RequestLine().Match(line) is { Success: true }) break;
            }

            if (i == lines.Length) continue; // the file's heading and variables
            var request = RequestLine().Match(lines[i].Trim());
            var headers = lines.Skip(i + 1).TakeWhile(l => l.Trim().Length > 0)
                .Select(l => (l[..l.IndexOf(':', StringComparison.Ordinal)].Trim(), l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
                .ToList();
            var body = string.Join('\n', lines.Skip(i + 1 + headers.Count)).Trim();
            requests.Add(new Request(request.Groups[1].Value, request.Groups[2].Value, headers, body.Length == 0 ? null : body,
                expect ?? throw new FormatException($"{lines[i]}: no '# expect <status>' line"), name));
        }

        return requests;
    }

    public static string Substitute(string text, IReadOnlyDictionary<string, string> variables, IReadOnlyDictionary<string, JsonNode?> named) =>
        Variable().Replace(text, match =>
        {
            if (variables.TryGetValue(match.Groups[1].Value, out var value)) return value;
            var parts = Reference().Match(match.Groups[1].Value);
            if (!parts.Success || !named.TryGetValue(parts.Groups[1].Value, out var node))
                throw new FormatException($"{match.Value}: not a response of an earlier named request");
            if (parts.Groups[2].Success) node = node![int.Parse(parts.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)];
            return node![parts.Groups[3].Value]!.ToString();
        });

    [GeneratedRegex(@"^(GET|POST|PUT|DELETE|PATCH) (\S+)")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\{\{([^}]+)\}\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^(\w+)\.response\.body\.(?:\$\[(\d+)\]\.)?(\w+)$")]
    private static partial Regex Reference();
}
