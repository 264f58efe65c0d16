using System.Text.Json;
using Coordinator.Grains.Media;

namespace Coordinator.TestSupport.Media;

/// <summary>
/// <c>transport.setRemoteDtlsParameters</c> as the reference worker checks it (docs/protocol.md#createtransport, and
/// verified against the 2.6.19 binary): the fingerprint array is parsed, then "already set", then
/// the algorithm (last known one wins, lowercase names only), then the role (a non-string role
/// counts as <c>auto</c>).
/// </summary>
internal static class InMemoryRemoteDtls
{
    private static readonly HashSet<string> KnownAlgorithms = ["sha-1", "sha-224", "sha-256", "sha-384", "sha-512"];

    /// <summary>Returns the local role: remote <c>client</c> → <c>server</c>; <c>server</c> or <c>auto</c> → <c>client</c>.</summary>
    public static string LocalRoleFor(JsonElement dtlsParameters, bool alreadySet)
    {
        if (dtlsParameters.ValueKind != JsonValueKind.Object
            || !dtlsParameters.TryGetProperty("fingerprints", out var fingerprints)
            || fingerprints.ValueKind != JsonValueKind.Array)
        {
            throw new MediaPlaneException("missing data.fingerprints");
        }

        var algorithms = new List<string>();
        foreach (var fingerprint in fingerprints.EnumerateArray())
        {
            if (fingerprint.ValueKind != JsonValueKind.Object)
            {
                throw new MediaPlaneException("wrong fingerprint");
            }

            if (!IsString(fingerprint, "algorithm") || !IsString(fingerprint, "value"))
            {
                throw new MediaPlaneException("missing data.fingerprint.algorithm and/or data.fingerprint.value");
            }

            algorithms.Add(fingerprint.GetProperty("algorithm").GetString()!);
        }

        if (alreadySet)
        {
            throw new MediaPlaneException("Transport already has remote DTLS parameters");
        }

        if (!algorithms.Any(KnownAlgorithms.Contains))
        {
            throw new MediaPlaneException("unsupported remote fingerprint algorithm");
        }

        var remoteRole = dtlsParameters.TryGetProperty("role", out var role) && role.ValueKind == JsonValueKind.String
            ? role.GetString()
            : "auto";
        return remoteRole switch
        {
            "client" => "server",
            "server" or "auto" => "client",
            _ => throw new MediaPlaneException("invalid remote role"),
        };
    }

    private static bool IsString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String;
}
