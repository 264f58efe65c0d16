using System.Text.Json;
using Orleans;
using Orleans.Serialization.Cloning;

namespace Coordinator.Grains.Interfaces.Hosting;

/// <summary>
/// How a <see cref="JsonElement"/> is copied for a grain call inside one process. Orleans' JSON codec
/// copies by writing the value out and parsing it again, for every request, response and
/// notification at every hop. An element of a cloned document (every element received in a grain
/// call, and what <see cref="JsonElement.Clone"/> returns) is immutable and is passed on as it is;
/// only an element of a document its owner may dispose is copied, by <see cref="JsonElement.Clone"/>.
/// </summary>
[RegisterCopier]
public sealed class JsonElementCopier : IDeepCopier<JsonElement>
{
    public JsonElement DeepCopy(JsonElement input, CopyContext context) =>
        input.ValueKind == JsonValueKind.Undefined ? input : input.Clone();
}
