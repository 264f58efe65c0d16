using System.Text.Json;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests;

/// <summary>Test conveniences over <see cref="ProtooClient"/>: joins with real Chromium capabilities.</summary>
internal static class Clients
{
    public static Task<JsonElement> JoinAsync(this ProtooClient client, string? peerName = null, object? appData = null) =>
        client.JoinAsync(CapturedSession.JoinCapabilities, peerName, appData);
}
