using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Tools.LoadTest;

/// <summary>
/// What one simulated peer speaks through: a protoo socket of its own (<see cref="LoadSocket"/>) or a
/// session of a shared frontend connection (<see cref="FrontendSessionChannel"/>). <see cref="LoadPeer"/>
/// runs every step over this, so a sequence is the same requests and checks on either.
/// </summary>
internal interface IPeerChannel : IAsyncDisposable
{
    /// <summary>Completes when the channel has ended, by either side, or failed.</summary>
    Task Closed { get; }

    /// <summary>The close code once ended (a socket's close status, a session's <c>sessionClosed</c> code); null while open or when none came.</summary>
    int? CloseCode { get; }

    string? CloseDescription { get; }

    /// <summary>Sends a request and returns its response frame; throws <see cref="TimeoutException"/> when none comes in time.</summary>
    Task<JsonElement> RequestAsync(string method, JsonNode data);

    Task NotifyAsync(string method, JsonNode data);

    /// <summary>Ends the channel from this side and waits until the server has ended it too.</summary>
    Task CloseAsync();
}

/// <summary>Opens the channel of one peer; <paramref name="onNotification"/> gets each notification frame and its arrival time (Stopwatch ticks).</summary>
internal delegate Task<IPeerChannel> PeerChannelOpener(string roomId, string peerName, Action<JsonElement, long> onNotification);
