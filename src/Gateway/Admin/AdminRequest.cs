using System.Globalization;
using System.Text.Json;

namespace Coordinator.Gateway.Admin;

/// <summary>Bad input to the admin API: answered with <see cref="Status"/> and <c>{"error": message}</c>.</summary>
public sealed class AdminInputException(string message, int status = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// An admin request's JSON body, optional everywhere (an empty body is <c>{}</c>). Unknown
/// properties are refused, so a misspelt setting is an error rather than silently ignored.
/// </summary>
internal sealed class AdminRequest
{
    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = 32 };
    private readonly JsonElement _body;

    private AdminRequest(JsonElement body) => _body = body;

    public static async Task<AdminRequest> ReadAsync(HttpRequest request, int maxBytes, params string[] allowed)
    {
        if (request.ContentLength > maxBytes)
        {
            throw new AdminInputException($"the body is larger than {maxBytes} bytes", StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new AdminInputException($"the body is larger than {maxBytes} bytes", StatusCodes.Status413PayloadTooLarge);
            }
        }

        if (buffer.Length == 0)
        {
            return new AdminRequest(JsonDocument.Parse("{}").RootElement);
        }

        JsonElement body;
        try
        {
            using var document = JsonDocument.Parse(buffer.ToArray(), Parsing);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new AdminInputException("the body is not valid JSON");
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new AdminInputException("the body must be a JSON object");
        }

        if (body.EnumerateObject().Select(property => property.Name).FirstOrDefault(name => !allowed.Contains(name, StringComparer.Ordinal)) is { } unknown)
        {
            throw new AdminInputException($"unknown property \"{unknown}\" (expected {string.Join(", ", allowed)})");
        }

        return new AdminRequest(body);
    }

    /// <summary>Any JSON value; absent or null → null (an absent appData stays absent in notifications).</summary>
    public JsonElement? Value(string name) =>
        _body.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public string? String(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        _ => throw new AdminInputException($"{name} must be a string"),
    };

    public int? PositiveInteger(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt32(out var value) && value > 0 => value,
        _ => throw new AdminInputException($"{name} must be a positive integer or null"),
    };

    /// <summary>A duration as .NET's <c>hh:mm:ss</c> text (as in the configuration) or a number of seconds.</summary>
    public TimeSpan? Duration(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text when TimeSpan.TryParse(text.GetString(), CultureInfo.InvariantCulture, out var value) => value,
        { ValueKind: JsonValueKind.Number } number when number.TryGetDouble(out var seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < 1e9 =>
            TimeSpan.FromSeconds(seconds),
        _ => throw new AdminInputException($"{name} must be a duration (\"hh:mm:ss\" or a number of seconds) or null"),
    };
}
