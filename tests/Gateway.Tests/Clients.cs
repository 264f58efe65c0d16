using System.Text.Json;
using Coordinator.Gateway.Tests.Protocol;
using Coordinator.TestSupport;
using Coordinator.Tools.Protoo;

namespace Coordinator.Gateway.Tests;

/// <summary>Test conveniences over <see cref="ProtooClient"/>: peers connected and joined with real Chromium capabilities.</summary>
internal static class Clients
{
    public static Task<JsonElement> JoinAsync(this ProtooClient client, string? peerName = null, object? appData = null) =>
        client.JoinAsync(CapturedSession.JoinCapabilities, peerName, appData);

    /// <summary>Joins as a spy: a peer that consumes but is never announced.</summary>
    public static Task<JsonElement> JoinAsSpyAsync(this ProtooClient client)
    {
        var join = ProtooClient.JoinRequest(client.PeerName, CapturedSession.JoinCapabilities);
        join["spy"] = true;
        return client.MediasoupAsync(join);
    }

    /// <summary>A client connected as <paramref name="peerName"/> and joined to <paramref name="roomId"/>; the join must succeed.</summary>
    public static async Task<ProtooClient> JoinedPeerAsync(this EmbeddedNode node, string roomId, string peerName)
    {
        var client = await node.ConnectAsync(roomId, peerName);
        try
        {
            await client.JoinAsync().Ok();
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Connects every named peer to <paramref name="roomId"/>, then joins them one after another in the
    /// order named (so each peer hears <c>newPeer</c> for every later one); each join must succeed.
    /// </summary>
    public static async Task<JoinedPeers> JoinedPeersAsync(this EmbeddedNode node, string roomId, params string[] peerNames)
    {
        var peers = new JoinedPeers();
        try
        {
            foreach (var name in peerNames)
            {
                peers.Add(await node.ConnectAsync(roomId, name));
            }

            foreach (var peer in peers)
            {
                await peer.JoinAsync().Ok();
            }

            return peers;
        }
        catch
        {
            await peers.DisposeAsync();
            throw;
        }
    }
}
