using System.Text.Json;
using System.Text.Json.Serialization;
using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Gateway.Admin;

/// <summary>The admin API's JSON: web naming (camelCase), grants as names, errors as <c>{"error": "…"}</c>.</summary>
internal static class AdminResults
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new GrantsConverter() },
    };

    public static IResult Ok(object value) => Results.Json(value, Json);

    public static IResult Error(int status, string message) => Results.Json(new { error = message }, Json, statusCode: status);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    /// <summary>Grants are written as the token's names (<c>["publish","subscribe"]</c>), not as flag numbers.</summary>
    private sealed class GrantsConverter : JsonConverter<PeerGrants>
    {
        public override PeerGrants Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("grants are only written");

        public override void Write(Utf8JsonWriter writer, PeerGrants value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var name in JoinToken.GrantNames.Where(pair => value.HasFlag(pair.Value)).Select(pair => pair.Key))
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
        }
    }
}
