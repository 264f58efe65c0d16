using System.Text.Json;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests;

/// <summary>Test conveniences over <see cref="ProtooClient"/>: the node's address and real Chromium capabilities.</summary>
internal static class Clients
{
    public static Task<ProtooClient> ConnectAsync(EmbeddedNode node, string roomId, string peerName) =>
        ProtooClient.ConnectAsync(node.BaseUri, roomId, peerName);

    public static Task<JsonElement> JoinAsync(this ProtooClient client, string? peerName = null, object? appData = null) =>
        client.JoinAsync(CapturedSession.JoinCapabilities, peerName, appData);
}
