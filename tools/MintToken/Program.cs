using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;
using Microsoft.IdentityModel.Tokens;

// Mints a Coordinator join token, or a new HS256 key:
//   dotnet run --project tools/MintToken -- --new-key
//   dotnet run --project tools/MintToken -- --key <base64> --room R --peer P [--grants publish,subscribe] [--ttl 01:00:00]
//   dotnet run --project tools/MintToken -- --private-key-file key.pem --room R --peer P [--issuer I] [--audience A]
//   … --link http://127.0.0.1:4443     prints a room page link (room, peer and token) instead of the bare token
const string Usage = "usage: --new-key | (--key <base64> | --private-key-file <pem>) --room <id> --peer <name> [--grants publish,subscribe,spy,admin] [--ttl hh:mm:ss] [--issuer i] [--audience a] [--link <base url of the room page>]";

if (args.Contains("--new-key"))
{
    Console.WriteLine(TokenKeys.NewSymmetricKey());
    return 0;
}

var options = args.Chunk(2).Where(pair => pair.Length == 2 && pair[0].StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(pair => pair[0][2..], pair => pair[1]);
if (!options.TryGetValue("room", out var room) || !options.TryGetValue("peer", out var peer))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

SecurityKey key = options.TryGetValue("key", out var symmetric)
    ? TokenKeys.Symmetric(symmetric)
    : options.TryGetValue("private-key-file", out var pemFile)
        ? TokenKeys.FromPem(File.ReadAllText(pemFile))
        : throw new ArgumentException(Usage);

var grants = PeerGrants.None;
foreach (var name in options.GetValueOrDefault("grants", "publish,subscribe").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
{
    grants |= JoinToken.GrantNames.TryGetValue(name, out var grant) ? grant : throw new ArgumentException($"unknown grant \"{name}\"");
}

var ttl = TimeSpan.Parse(options.GetValueOrDefault("ttl", "01:00:00"), System.Globalization.CultureInfo.InvariantCulture);
var token = JoinTokenIssuer.Create(key, room, peer, grants, ttl, options.GetValueOrDefault("issuer"), options.GetValueOrDefault("audience"));
Console.WriteLine(options.TryGetValue("link", out var baseUrl) ? RoomPageLink(baseUrl, room, peer, token) : token);
return 0;

// The room page (served at / of the gateway) reads roomId, peerName and token from its query.
static string RoomPageLink(string baseUrl, string room, string peer, string token)
{
    if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https"))
    {
        throw new ArgumentException($"--link needs the page's http:// or https:// address, got \"{baseUrl}\"");
    }

    return $"{page.GetLeftPart(UriPartial.Path).TrimEnd('/')}/?roomId={Uri.EscapeDataString(room)}&peerName={Uri.EscapeDataString(peer)}&token={Uri.EscapeDataString(token)}";
}
