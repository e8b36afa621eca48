using System.Text.Json;

namespace SmtpDane.Tests.Reporting;

/// <summary>
/// A small JSON Schema (draft 2020-12) validator for the subset docs/json-schema.json uses:
/// <c>type</c> (one name or a list), <c>const</c>, <c>enum</c>, <c>properties</c>, <c>required</c>,
/// <c>additionalProperties</c> (false or a schema), <c>items</c>, <c>oneOf</c> and local
/// <c>$ref</c> ("#/$defs/name"). Any other keyword but annotations throws, so the schema cannot
/// rely on something this validator would silently skip.
/// </summary>
internal sealed class JsonSchemaValidator
{
    private static readonly HashSet<string> Annotations = ["$schema", "$id", "title", "description"];

    private readonly JsonElement _root;

    public JsonSchemaValidator(JsonElement root) => _root = root;

    /// <summary>Errors as "path: problem"; empty when <paramref name="instance"/> is valid.</summary>
    public List<string> Validate(JsonElement instance, string schemaPointer = "#")
    {
        var errors = new List<string>();
        Check(Resolve(schemaPointer), instance, "$", errors);
        return errors;
    }

    private JsonElement Resolve(string pointer)
    {
        if (!pointer.StartsWith('#'))
        {
            throw new NotSupportedException($"only local references are supported: {pointer}");
        }

        var node = _root;
        foreach (var part in pointer[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: not allowed");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            switch (keyword.Name)
            {
                case "$ref":
                    Check(Resolve(keyword.Value.GetString()!), value, path, errors);
                    break;
                case "type":
                    var types = keyword.Value.ValueKind == JsonValueKind.Array
                        ? keyword.Value.EnumerateArray().Select(t => t.GetString()!).ToList()
                        : [keyword.Value.GetString()!];
                    if (!types.Any(t => HasType(value, t)))
                    {
                        errors.Add($"{path}: expected {string.Join(" or ", types)}, got {value.ValueKind}");
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(keyword.Value, value))
                    {
                        errors.Add($"{path}: expected {keyword.Value.GetRawText()}, got {value.GetRawText()}");
                    }

                    break;
                case "enum":
                    if (!keyword.Value.EnumerateArray().Any(e => JsonElement.DeepEquals(e, value)))
                    {
                        errors.Add($"{path}: {value.GetRawText()} is not one of {keyword.Value.GetRawText()}");
                    }

                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var property in keyword.Value.EnumerateObject())
                        {
                            if (value.TryGetProperty(property.Name, out var child))
                            {
                                Check(property.Value, child, $"{path}.{property.Name}", errors);
                            }
                        }
                    }

                    break;
                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in keyword.Value.EnumerateArray())
                        {
                            if (!value.TryGetProperty(name.GetString()!, out _))
                            {
                                errors.Add($"{path}: missing required property \"{name.GetString()}\"");
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        var known = schema.TryGetProperty("properties", out var props)
                            ? props.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
                            : [];
                        foreach (var property in value.EnumerateObject().Where(p => !known.Contains(p.Name)))
                        {
                            Check(keyword.Value, property.Value, $"{path}.{property.Name}", errors);
                        }
                    }

                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Check(keyword.Value, item, $"{path}[{i++}]", errors);
                        }
                    }

                    break;
                case "oneOf":
                    var passing = keyword.Value.EnumerateArray().Count(branch =>
                    {
                        var branchErrors = new List<string>();
                        Check(branch, value, path, branchErrors);
                        return branchErrors.Count == 0;
                    });
                    if (passing != 1)
                    {
                        errors.Add($"{path}: matches {passing} of the oneOf branches, expected exactly 1");
                    }

                    break;
                case "$defs":
                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"schema keyword \"{keyword.Name}\" is not supported by this validator");
                    }

                    break;
            }
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && decimal.Truncate(d) == d,
        _ => throw new NotSupportedException($"unknown type \"{type}\""),
    };
}
