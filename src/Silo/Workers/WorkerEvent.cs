using System.Text.Json;

namespace Coordinator.Silo.Workers;

/// <summary>
/// An event from the worker: <c>{"targetId":N,"event":"name","data":{…}?}</c>. The target is a
/// router, transport or consumer id; nothing says which kind (docs/worker-channel.md#messages).
/// </summary>
/// <param name="TargetId">The host-chosen id of the object the event is about.</param>
/// <param name="Name">Event name, e.g. <c>close</c>, <c>icestatechange</c>, <c>audiolevels</c>.</param>
/// <param name="Data">The <c>data</c> member, absent for <c>close</c>, <c>sourcepaused</c>, <c>sourceresumed</c>.</param>
/// <param name="Binary">The opaque frame that followed an event flagged <c>binary:true</c> (never emitted by 2.6.19).</param>
public sealed record WorkerEvent(uint TargetId, string Name, JsonElement? Data, ReadOnlyMemory<byte>? Binary = null);
