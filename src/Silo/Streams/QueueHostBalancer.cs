using Coordinator.Grains.Interfaces.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace Coordinator.Silo.Streams;

/// <summary>
/// Gives each notification queue to the pulling agent of the silo its queue grain lives on. Orleans'
/// balancers spread queues over the active silos, so a silo that joins takes queues over: their old
/// agent stops and the new one starts, registers and delivers seconds later, and meanwhile the
/// notifications of every session on them wait (long enough, on a busy machine, for a gateway to
/// close those sessions as having lost them). Here a queue changes hands only when its grain does,
/// which is when its silo leaves. The balancers of all silos agree because each asks the grain.
/// Ownership is looked up again at every membership change and every few seconds.
/// </summary>
internal sealed partial class QueueHostBalancer(IServiceProvider services, string providerName, IGrainFactory grains, ILocalSiloDetails silo, ILogger<QueueHostBalancer> logger)
    : QueueBalancerBase(services, logger)
{
    private static readonly TimeSpan RecheckPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _membershipChanged = new(0);
    private QueueId[] _queues = [];
    private HashSet<QueueId> _mine = [];
    private Task _resolving = Task.CompletedTask;

    /// <summary>Whether this silo's share has been logged once all queues answered (it is logged again at every change).</summary>
    private bool _reported;

    public static QueueHostBalancer Create(IServiceProvider services, string providerName) =>
        ActivatorUtilities.CreateInstance<QueueHostBalancer>(services, providerName);

    public override IEnumerable<QueueId> GetMyQueues() => Volatile.Read(ref _mine);

    public override async Task Initialize(IStreamQueueMapper queueMapper)
    {
        _queues = [.. queueMapper.GetAllQueues()];
        await base.Initialize(queueMapper);

        // In the background: grain calls may wait while the cluster settles, and the silo's start must not.
        _resolving = Task.Run(ResolveUntilStoppedAsync);
    }

    public override async Task Shutdown()
    {
        await base.Shutdown();
        await _resolving;
    }

    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos) => _membershipChanged.Release();

    private async Task ResolveUntilStoppedAsync()
    {
        while (!Cancellation.IsCancellationRequested)
        {
            bool settled;
            try
            {
                settled = await ResolveAsync();
            }
            catch (Exception exception) when (!Cancellation.IsCancellationRequested)
            {
                // A listener that failed to take the change: look again shortly rather than give up.
                LogResolveFailed(exception.Message);
                settled = false;
            }

            try
            {
                await _membershipChanged.WaitAsync(settled ? RecheckPeriod : RetryPeriod, Cancellation);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Asks every queue where it lives; false if some did not answer (their ownership is kept as it was).</summary>
    private async Task<bool> ResolveAsync()
    {
        var hosts = await Task.WhenAll(_queues.Select(HostOfAsync));
        var mine = new HashSet<QueueId>(_mine);
        for (var i = 0; i < _queues.Length; i++)
        {
            if (hosts[i] is { } host)
            {
                if (host.Equals(silo.SiloAddress))
                {
                    mine.Add(_queues[i]);
                }
                else
                {
                    mine.Remove(_queues[i]);
                }
            }
        }

        var settled = hosts.All(host => host is not null);
        if (!mine.SetEquals(_mine) || (settled && !_reported))
        {
            _reported |= settled;
            LogOwnership(providerName, string.Join(", ", mine.Select(queue => queue.ToString()).Order()));
            Volatile.Write(ref _mine, mine);
            await NotifyListeners();
        }

        return settled;
    }

    private async Task<SiloAddress?> HostOfAsync(QueueId queue)
    {
        try
        {
            return await grains.GetGrain<INotificationQueueGrain>(NotificationQueueAdapterFactory.QueueKey(providerName, queue)).Host().WaitAsync(LookupTimeout, Cancellation);
        }
        catch (Exception exception)
        {
            if (!Cancellation.IsCancellationRequested)
            {
                LogLookupFailed(queue.ToString(), exception.Message);
            }

            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream provider {Provider}: this silo now reads the queues living on it: [{Queues}]")]
    private partial void LogOwnership(string provider, string queues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask notification queue {Queue} where it lives ({Reason}); asking again shortly")]
    private partial void LogLookupFailed(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not apply this silo's share of the notification queues ({Reason}); trying again shortly")]
    private partial void LogResolveFailed(string reason);
}
