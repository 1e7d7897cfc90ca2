using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NJsonSchema;

namespace Modular.Tests.Support;

/// <summary>
/// The API's OpenAPI documents as a contract every response the suites receive must keep: the operation exists, the
/// status is declared for it, and a declared body has the declared media type and matches its schema (NJsonSchema).
/// One instance holds the documents of every deployment a client talks to (a gateway serves the remote ones).
/// Answers for paths no document has (an unknown route's 404, a gateway's 502) must still be RFC 9457 problems.
/// </summary>
public sealed partial class OpenApiConformance
{
    private readonly List<Operation> _operations = [];
    private readonly JsonObject _definitions = new();
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public int Checked => _checked;
    private int _checked;

    public OpenApiConformance(params string[] documents)
    {
        foreach (var text in documents)
        {
            var document = JsonNode.Parse(text)!.AsObject();
            foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
                _definitions[name] = ToJsonSchema(schema!.DeepClone());
            foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject())
                _operations.Add(new Operation(method.ToUpperInvariant(), path, PathPattern(path),
                    operation!["responses"]!.AsObject().ToDictionary(r => r.Key, r => r.Value!["content"]?.AsObject())));
        }

        // Literal paths before templated ones: /api/payments/simulator is not /api/payments/orders/{orderId}.
        _operations.Sort((a, b) => a.Path.Count(c => c == '{').CompareTo(b.Path.Count(c => c == '{')));
        if (!_definitions.ContainsKey("ProblemDetails"))
            throw new InvalidOperationException("No document defines the ProblemDetails schema.");
    }

    /// <summary>What is wrong with this exchange against the documents, or null when nothing is.</summary>
    public string? Violation(string method, string path, int status, string? contentType, string body)
    {
        Interlocked.Increment(ref _checked);
        var exchange = $"{method} {path} → {status}";
        var media = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        var operation = _operations.FirstOrDefault(o => o.Method == method && o.Pattern.IsMatch(path));
        if (operation is null)
        {
            // No operation: only the framework's refusals of the path or the hop (404, 405, a gateway's 5xx) may answer.
            if (status < 400) return $"{exchange}: no operation in the OpenAPI documents has this method and path";
            return media == "application/problem+json"
                ? Invalid(exchange, "#/definitions/ProblemDetails", body)
                : $"{exchange}: an error answer must be application/problem+json, was '{contentType}'";
        }

        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Responses.TryGetValue(key, out var content) && !operation.Responses.TryGetValue("default", out content))
            return $"{exchange}: status not declared for {operation.Method} {operation.Path} (declared: {string.Join(", ", operation.Responses.Keys)})";
        if (content is null || content.Count == 0)
            return body.Length == 0 ? null : $"{exchange}: the document declares no body, the answer has one";
        if (media is null || content[media] is not { } declared)
            return $"{exchange}: media type '{contentType}' not declared (declared: {string.Join(", ", content.Select(c => c.Key))})";
        return declared["schema"] is { } schema ? Invalid(exchange, schema.ToJsonString(), body) : null;
    }

    /// <summary>Throws when the exchange breaks the documents.</summary>
    public void Check(string method, string path, int status, string? contentType, string body)
    {
        if (Violation(method, path, status, contentType, body) is { } violation)
            throw new OpenApiViolationException($"{violation}\nbody: {(body.Length > 600 ? body[..600] + "…" : body)}");
    }

    private string? Invalid(string exchange, string schemaOrReference, string body)
    {
        var schema = _schemas.GetOrAdd(schemaOrReference, Compile);
        ICollection<NJsonSchema.Validation.ValidationError> errors;
        try
        {
            errors = schema.Validate(body);
        }
        catch (Newtonsoft.Json.JsonException e)
        {
            return $"{exchange}: the body is not JSON ({e.Message})";
        }

        return errors.Count == 0 ? null : $"{exchange}: the body breaks its schema: {string.Join("; ", errors.Select(Describe))}";
    }

    private static string Describe(NJsonSchema.Validation.ValidationError error) =>
        error is NJsonSchema.Validation.ChildSchemaValidationError child
            ? $"{error.Kind} at {error.Path} ({string.Join("; ", child.Errors.SelectMany(e => e.Value).Select(Describe))})"
            : $"{error.Kind} at {error.Path}";

    private JsonSchema Compile(string schemaOrReference)
    {
        var root = new JsonObject
        {
            ["allOf"] = new JsonArray(schemaOrReference.StartsWith('#')
                ? new JsonObject { ["$ref"] = schemaOrReference }
                : ToJsonSchema(JsonNode.Parse(schemaOrReference)!)),
            ["definitions"] = _definitions.DeepClone(),
        };
        return JsonSchema.FromJsonAsync(root.ToJsonString()).GetAwaiter().GetResult();
    }

    /// <summary>OpenAPI 3.0 schema → JSON Schema draft 4: refs into definitions, <c>nullable</c> as a "null" type.</summary>
    private static JsonNode ToJsonSchema(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["$ref"] is JsonValue reference)
                    obj["$ref"] = reference.GetValue<string>().Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal);
                if (obj["nullable"] is JsonValue nullable && nullable.GetValue<bool>() && obj["type"] is JsonValue type)
                    obj["type"] = new JsonArray(type.GetValue<string>(), "null");
                obj.Remove("nullable");
                obj.Remove("example");
                foreach (var (name, child) in obj.ToList())
                    if (child is not null && name is not "enum") obj[name] = ToJsonSchema(child.DeepClone());
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                    if (array[i] is { } item) array[i] = ToJsonSchema(item.DeepClone());
                return array;
            default:
                return node;
        }
    }

    private static Regex PathPattern(string template) =>
        new("^" + TemplateSegment().Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$");

    [GeneratedRegex(@"\{[^}/]+\}")]
    private static partial Regex TemplateSegment();

    private sealed record Operation(string Method, string Path, Regex Pattern, Dictionary<string, JsonObject?> Responses);
}

public sealed class OpenApiViolationException(string message) : Exception(message);

/// <summary>
/// An HttpClient handler that holds every /api answer to the OpenAPI documents of the deployments behind a base
/// address: the base's own, and each remote deployment's as its gateway serves it (<c>/openapi/&lt;name&gt;.json</c>).
/// The documents are fetched on the first API call; an answer that breaks them throws <see cref="OpenApiViolationException"/>.
/// </summary>
public sealed class OpenApiCheckingHandler(Func<Uri, IReadOnlyList<string>> documentPaths) : DelegatingHandler(new HttpClientHandler())
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Dictionary<string, OpenApiConformance> _contracts = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var uri = request.RequestUri!;
        if (!uri.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal)) return response;

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var contract = await ContractForAsync(new Uri(uri.GetLeftPart(UriPartial.Authority)), cancellationToken);
        contract.Check(request.Method.Method, uri.AbsolutePath, (int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), body);
        return response;
    }

    private async Task<OpenApiConformance> ContractForAsync(Uri origin, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_contracts.TryGetValue(origin.AbsoluteUri, out var known)) return known;
            var documents = new List<string>();
            foreach (var path in documentPaths(origin))
            {
                using var document = await base.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(origin, path)), cancellationToken);
                documents.Add(await document.EnsureSuccessStatusCode().Content.ReadAsStringAsync(cancellationToken));
            }

            return _contracts[origin.AbsoluteUri] = new OpenApiConformance([.. documents]);
        }
        finally
        {
            _loading.Release();
        }
    }
}

/// <summary>Sends a bearer token with every request that has no Authorization of its own.</summary>
public sealed class BearerTokenHandler(Func<Task<string>> token, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <summary>Set on a request that must go out with no Authorization header at all.</summary>
    public static readonly HttpRequestOptionsKey<bool> Anonymous = new("modular-anonymous");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(Anonymous, out var anonymous) || !anonymous)
            request.Headers.Authorization ??= new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await token());
        return await base.SendAsync(request, cancellationToken);
    }
}
