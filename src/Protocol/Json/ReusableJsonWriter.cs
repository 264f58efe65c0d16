using System.Buffers;
using System.Text.Json;

namespace Coordinator.Json;

/// <summary>
/// Writes one JSON value into a per-thread buffer that is kept between calls, so a large message
/// (a join response with a hundred consumers is ~76 KB) costs no growth copies; the caller turns
/// the written bytes into its result before returning. Writing is synchronous, so one buffer per
/// thread suffices; a nested call (while the thread's buffer is in use) gets a buffer of its own.
/// </summary>
public static class ReusableJsonWriter
{
    /// <summary>Buffers that grew past this are dropped after use rather than kept per thread.</summary>
    private const int MaxRetainedBytes = 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static bool _inUse;

    /// <summary>Writes <c>{…}</c> with <paramref name="writeFields"/> and hands the bytes to <paramref name="result"/>.</summary>
    public static T WriteObject<T>(JsonWriterOptions options, Action<Utf8JsonWriter> writeFields, Func<ReadOnlyMemory<byte>, T> result) =>
        Write(
            options,
            writer =>
            {
                writer.WriteStartObject();
                writeFields(writer);
                writer.WriteEndObject();
            },
            result);

    /// <summary>Writes one value (of any kind) with <paramref name="writeValue"/> and hands the bytes to <paramref name="result"/>.</summary>
    public static T Write<T>(JsonWriterOptions options, Action<Utf8JsonWriter> writeValue, Func<ReadOnlyMemory<byte>, T> result)
    {
        if (_inUse)
        {
            return WriteInto(new ArrayBufferWriter<byte>(256), options, writeValue, result);
        }

        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        _inUse = true;
        try
        {
            buffer.ResetWrittenCount();
            return WriteInto(buffer, options, writeValue, result);
        }
        finally
        {
            _inUse = false;
            if (buffer.Capacity > MaxRetainedBytes)
            {
                _buffer = null;
            }
        }
    }

    private static T WriteInto<T>(
        ArrayBufferWriter<byte> buffer, JsonWriterOptions options, Action<Utf8JsonWriter> writeValue, Func<ReadOnlyMemory<byte>, T> result)
    {
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            writeValue(writer);
        }

        return result(buffer.WrittenMemory);
    }
}
