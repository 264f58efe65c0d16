using Coordinator.Gateway.Cluster;
using Microsoft.Extensions.Logging.Abstractions;

namespace Coordinator.Gateway.Tests.Cluster;

/// <summary>
/// Orleans reports the cluster lost when a gateway's last open connection closes, although other
/// silos may serve. Every socket is closed only when the cluster stays silent for the grace period.
/// </summary>
public sealed class ClusterLossConfirmationTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(600);

    /// <summary>For a confirmation that must succeed: it ends at the first answer, so only a stalled machine would see this run out.</summary>
    private static readonly TimeSpan AmpleGrace = TimeSpan.FromSeconds(30);

    private int _attempts;
    private int _closes;

    private ClusterLossConfirmation NewConfirmation(Func<int, Task<bool>> attempt, TimeSpan? grace = null) =>
        new(_ => attempt(Interlocked.Increment(ref _attempts)), () => Interlocked.Increment(ref _closes), grace ?? Grace, NullLogger.Instance);

    [Fact]
    public async Task A_cluster_that_answers_again_within_the_grace_keeps_every_socket()
    {
        var confirmation = NewConfirmation(
            attempt => attempt < 3
                ? Task.FromException<bool>(new InvalidOperationException("connection refused"))
                : Task.FromResult(true),
            AmpleGrace);

        await confirmation.ConfirmAsync(CancellationToken.None);

        Assert.Equal(3, _attempts);
        Assert.Equal(0, _closes);
    }

    [Fact]
    public async Task A_cluster_that_stays_unreachable_closes_every_socket_once()
    {
        var confirmation = NewConfirmation(_ => Task.FromException<bool>(new InvalidOperationException("no gateways available")));

        await confirmation.ConfirmAsync(CancellationToken.None);

        Assert.True(_attempts > 1, $"tried {_attempts} times");
        Assert.Equal(1, _closes);
    }

    [Fact]
    public async Task A_cluster_whose_calls_hang_is_lost_too()
    {
        var confirmation = NewConfirmation(_ => new TaskCompletionSource<bool>().Task);

        await confirmation.ConfirmAsync(CancellationToken.None);

        Assert.Equal(1, _closes);
    }

    [Fact]
    public async Task A_cluster_without_an_active_silo_is_lost()
    {
        var confirmation = NewConfirmation(_ => Task.FromResult(false));

        await confirmation.ConfirmAsync(CancellationToken.None);

        Assert.Equal(1, _closes);
    }

    [Fact]
    public async Task A_second_report_while_confirming_starts_nothing_more()
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var confirmation = NewConfirmation(_ => answer.Task);

        var first = confirmation.ConfirmAsync(CancellationToken.None);
        var second = confirmation.ConfirmAsync(CancellationToken.None);
        answer.SetResult(true);
        await Task.WhenAll(first, second);

        Assert.Equal(1, _attempts);
        Assert.Equal(0, _closes);
    }

    [Fact]
    public async Task A_gateway_that_stops_meanwhile_closes_nothing()
    {
        using var stopping = new CancellationTokenSource();
        var confirmation = NewConfirmation(_ => Task.FromResult(false));

        var confirming = confirmation.ConfirmAsync(stopping.Token);
        await stopping.CancelAsync();
        await confirming;

        Assert.Equal(0, _closes);
    }
}
