using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Browser.Tests.Harness;

/// <summary>
/// One client-side event as app.js reports it (newpeer, peerclosed, newconsumer, consumerreceiving,
/// consumerpause, consumerresume, consumerclose, effectiveprofilechange, transportstate, roomclose, …),
/// plus the driver's own "reloaded" marker. <see cref="Index"/> is its position in the page's log.
/// </summary>
public sealed record PageEvent
{
    public int Index { get; init; }

    public string Type { get; init; } = "";

    public string? Peer { get; init; }

    public string? Kind { get; init; }

    public long? ConsumerId { get; init; }

    public string? Originator { get; init; }

    public string? Profile { get; init; }

    public string? Source { get; init; }

    /// <summary>Every other field (peers, direction, state, …).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> Fields { get; init; } = [];

    public bool Is(string type, string? peer = null, string? kind = null) =>
        Type == type && (peer is null || Peer == peer) && (kind is null || Kind == kind);

    public override string ToString() =>
        $"#{Index} {Type}{Part("peer", Peer)}{Part("kind", Kind)}{Part("consumer", ConsumerId)}{Part("originator", Originator)}{Part("profile", Profile)}{Part("source", Source)}";

    private static string Part(string name, object? value) => value is null ? "" : $" {name}={value}";
}

public sealed record PageError(string Source, string Message);

/// <summary>Everything a page reported so far; kept by the driver across reloads.</summary>
public sealed record PageLog(IReadOnlyList<PageEvent> Events, IReadOnlyList<PageError> Errors)
{
    public override string ToString() =>
        $"events:\n  {string.Join("\n  ", Events)}\nerrors:\n  {string.Join("\n  ", Errors.Select(e => $"[{e.Source}] {e.Message}"))}";
}
