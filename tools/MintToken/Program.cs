using Coordinator.Gateway.Auth;
using Coordinator.Grains.Interfaces;
using Microsoft.IdentityModel.Tokens;

// Mints a Coordinator join token, or a new HS256 key:
//   dotnet run --project tools/MintToken -- --new-key
//   dotnet run --project tools/MintToken -- --key <base64> --room R --peer P [--grants publish,subscribe] [--ttl 01:00:00]
//   dotnet run --project tools/MintToken -- --private-key-file key.pem --room R --peer P [--issuer I] [--audience A]
const string Usage = "usage: --new-key | (--key <base64> | --private-key-file <pem>) --room <id> --peer <name> [--grants publish,subscribe,spy,admin] [--ttl hh:mm:ss] [--issuer i] [--audience a]";

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
Console.WriteLine(JoinTokenIssuer.Create(key, room, peer, grants, ttl, options.GetValueOrDefault("issuer"), options.GetValueOrDefault("audience")));
return 0;
