namespace Coordinator.Grains.Tests;

/// <summary>
/// A gateway that lost the path of a call sends the request (or notification) again under the
/// same number: the Peer answers it with the first call's answer and does not run it twice.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RepeatedRequestTests(ClusterFixture fixture)
{
    private readonly TestRoom _room = new(fixture.Client);

    [Fact]
    public async Task A_repeated_number_gets_the_first_answer_without_running_again()
    {
        await using var alice = await _room.JoinAsync("alice");
        var transport = new { id = 4242u, direction = "send", options = new { } };

        var first = await alice.RequestAsync("createTransport", transport, number: 7);
        var repeat = await alice.RequestAsync("createTransport", transport, number: 7);

        Assert.True(first.Ok, first.ErrorReason);
        Assert.True(repeat.Ok, repeat.ErrorReason);
        Assert.Equal(first.Data?.GetRawText(), repeat.Data?.GetRawText());

        // Run again under a new number, the same request meets the transport the first call created.
        var another = await alice.RequestAsync("createTransport", transport, number: 8);
        Assert.False(another.Ok);
        Assert.Contains("already exists", another.ErrorReason);
    }

    [Fact]
    public async Task Number_zero_runs_every_time()
    {
        await using var alice = await _room.JoinAsync("alice");
        var transport = new { id = 4343u, direction = "send", options = new { } };

        Assert.True((await alice.RequestAsync("createTransport", transport)).Ok);
        Assert.False((await alice.RequestAsync("createTransport", transport)).Ok);
    }

    [Fact]
    public async Task A_repeated_notification_number_does_not_run_again()
    {
        await using var alice = await _room.JoinAsync("alice");
        var transport = new { id = 4545u, direction = "send", options = new { } };
        Assert.True((await alice.RequestAsync("createTransport", transport, number: 1)).Ok);

        await alice.NotifyAsync("closeTransport", new { id = 4545u }, number: 2);
        Assert.True((await alice.RequestAsync("createTransport", transport, number: 3)).Ok);

        // The repeat of notification 2 must not close the transport created since.
        await alice.NotifyAsync("closeTransport", new { id = 4545u }, number: 2);
        var again = await alice.RequestAsync("createTransport", transport, number: 4);
        Assert.False(again.Ok);
        Assert.Contains("already exists", again.ErrorReason);
    }
}
