using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Grains.Interfaces;

namespace Coordinator.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class RoomMembershipTests(ClusterFixture fixture)
{
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task Join_lists_earlier_peers_and_announces_the_newcomer_to_them()
    {
        await using var alice = await _room.JoinAsync("alice", appDataJson: """{"displayName":"Alice"}""");
        await using var bob = await _room.ConnectAsync("bob");

        var response = await bob.JoinAsync(appDataJson: """{"displayName":"Bob"}""");

        Assert.True(response.Ok, response.ErrorReason);
        JsonExpect.Equal("""{"peers":[{"consumers":[],"name":"alice","appData":{"displayName":"Alice"}}]}""", response.Data);
        await alice.WaitForItemsAsync(1);
        var item = Assert.Single(alice.Items);
        Assert.Equal(1, item.Seq);
        JsonExpect.Equal(
            """{"method":"newPeer","target":"peer","notification":true,"consumers":[],"name":"bob","appData":{"displayName":"Bob"}}""",
            item.Notification);
        Assert.Empty(bob.Items);
    }

    [Fact]
    public async Task Join_without_appData_leaves_the_key_absent()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.ConnectAsync("bob");

        var response = await bob.JoinAsync();

        JsonExpect.Equal("""{"peers":[{"consumers":[],"name":"alice"}]}""", response.Data);
        JsonExpect.Equal("""{"method":"newPeer","target":"peer","notification":true,"consumers":[],"name":"bob"}""",
            await alice.WaitForNotificationAsync("newPeer"));
    }

    [Fact]
    public async Task Leave_sends_peerClosed_with_its_appData_to_remaining_peers_and_nothing_to_the_leaver()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");
        await using var carol = await _room.JoinAsync("carol");
        await alice.WaitForItemsAsync(2);
        await bob.WaitForItemsAsync(1);

        await bob.LeaveAsync("""{"reason":"bye"}""");

        const string expected = """{"method":"peerClosed","target":"peer","notification":true,"name":"bob","appData":{"reason":"bye"}}""";
        JsonExpect.Equal(expected, await alice.WaitForNotificationAsync("peerClosed"));
        JsonExpect.Equal(expected, await carol.WaitForNotificationAsync("peerClosed"));
        Assert.Equal(["alice", "carol"], (await alice.Room.Describe()).Peers);
        Assert.Single(bob.Items); // only newPeer(carol): a leaver gets no `closed`
        Assert.Equal(3, alice.Items.Select(i => i.Seq).Last());
    }

    [Fact]
    public async Task A_closed_peer_rejects_requests_with_Room_closed()
    {
        await using var alice = await _room.JoinAsync("alice");
        await alice.LeaveAsync();

        var result = (await alice.Grain.Request(alice.Session, 0, JsonSerializer.SerializeToElement(new { method = "createTransport", target = "peer" }))).Result;

        Assert.Equal("InvalidStateError: Room closed", result.ErrorReason);
    }

    [Fact]
    public async Task Spies_are_never_announced_but_hear_about_everyone_else()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var spy = await _room.ConnectAsync("spy");
        var spyJoin = await spy.JoinAsync(spy: true);
        await using var bob = await _room.ConnectAsync("bob");
        var bobJoin = await bob.JoinAsync();

        JsonExpect.Equal("""{"peers":[{"consumers":[],"name":"alice"}]}""", spyJoin.Data);
        JsonExpect.Equal("""{"peers":[{"consumers":[],"name":"alice"}]}""", bobJoin.Data);
        await spy.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "bob");

        await bob.LeaveAsync();
        await spy.WaitForNotificationAsync("peerClosed", n => n.GetProperty("name").GetString() == "bob");
        await spy.LeaveAsync();

        // A sentinel after the spy's leave: had the spy's leave been announced, it would come first.
        await using var carol = await _room.JoinAsync("carol");
        await alice.WaitForNotificationAsync("newPeer", n => n.GetProperty("name").GetString() == "carol");

        Assert.Equal(["newPeer:bob", "peerClosed:bob", "newPeer:carol"], alice.Notifications.Select(Describe));
        Assert.Equal(["newPeer:bob", "peerClosed:bob"], spy.Notifications.Select(Describe));
    }

    [Fact]
    public async Task A_second_live_peer_with_the_same_name_is_a_duplicate()
    {
        await using var alice = await _room.JoinAsync("alice");
        var impostor = alice.Session with { SessionId = Guid.NewGuid() };
        var request = JsonSerializer.SerializeToElement(new
        {
            method = "join",
            target = "room",
            peerName = "alice",
            rtpCapabilities = JsonNode.Parse(Coordinator.TestSupport.CapturedSession.JoinCapabilities.GetRawText()),
        });

        var result = (await alice.Room.Join(impostor, request)).Result;

        Assert.Equal("Error: duplicated Peer [peerName:\"alice\"]", result.ErrorReason);
    }

    [Theory]
    [InlineData("""{"codecs":[{"kind":"video","name":"VP9","mimeType":"video/VP9","clockRate":90000,"preferredPayloadType":98}],"headerExtensions":[]}""",
        "Error: unsupported codec [name:VP9, preferredPayloadType:98]")]
    [InlineData("""{"codecs":[],"headerExtensions":[{"kind":"video","uri":"urn:x-unknown","preferredId":9}]}""",
        "Error: unsupported header extension [kind:video, uri:urn:x-unknown]")]
    public async Task Capabilities_that_are_not_a_subset_of_the_room_are_rejected(string capabilities, string expected)
    {
        await using var alice = await _room.ConnectAsync("alice");

        var result = await alice.JoinAsync(rtpCapabilities: JsonNode.Parse(capabilities));

        Assert.Equal(expected, result.ErrorReason);
        Assert.Empty((await alice.Room.Describe()).Peers);
        Assert.True((await alice.JoinAsync()).Ok, "a rejected join must not leave a zombie peer");
    }

    [Fact]
    public async Task Join_validates_in_the_reference_order()
    {
        await using var alice = await _room.ConnectAsync("alice");

        var missingCapabilities = await JoinRoomDirectly(alice, JsonSerializer.SerializeToElement(new { method = "join", target = "room", peerName = "alice" }));
        var numericName = await JoinRoomDirectly(alice, JsonSerializer.SerializeToElement(new { method = "join", target = "room", peerName = 7 }));
        var notifying = await JoinRoomDirectly(alice, JsonSerializer.SerializeToElement(new { method = "join", notification = true }));

        Assert.Equal("TypeError: Cannot read properties of undefined (reading 'codecs')", missingCapabilities.ErrorReason);
        Assert.Equal("TypeError: peerName must be a string", numericName.ErrorReason);
        Assert.Equal("TypeError: not a request", notifying.ErrorReason);
    }

    [Fact]
    public async Task Disconnect_closes_the_peer_as_if_it_had_left()
    {
        await using var alice = await _room.JoinAsync("alice");
        await using var bob = await _room.JoinAsync("bob");

        await bob.DisconnectAsync();

        JsonExpect.Equal("""{"method":"peerClosed","target":"peer","notification":true,"name":"bob"}""",
            await alice.WaitForNotificationAsync("peerClosed"));
    }

    internal static string Describe(JsonElement notification) =>
        $"{notification.GetProperty("method").GetString()}:{notification.GetProperty("name").GetString()}";

    /// <summary>A join asked of the Room itself, as only the peer's own grain does.</summary>
    private static async Task<MediasoupResult> JoinRoomDirectly(TestPeer peer, JsonElement request) => (await peer.Room.Join(peer.Session, request)).Result;
}
