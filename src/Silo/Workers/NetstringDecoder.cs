namespace Coordinator.Silo.Workers;

/// <summary>
/// Incremental netstring decoder. Bytes may arrive split anywhere and several frames may arrive in
/// one chunk. Memory is bounded: at most the 10-byte header plus one payload of at most
/// <see cref="MaxPayloadBytes"/> is held. A malformed stream throws <see cref="NetstringFormatException"/>;
/// after that the decoder is unusable (netstrings cannot resynchronise).
/// </summary>
public sealed class NetstringDecoder
{
    private const int MaxLengthDigits = 9;

    private State _state = State.Length;
    private int _length;
    private int _digits;
    private bool _leadingZero;
    private byte[] _payload = [];
    private int _filled;
    private bool _failed;

    public NetstringDecoder(int maxPayloadBytes = NetstringFramer.MaxPayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayloadBytes);
        MaxPayloadBytes = maxPayloadBytes;
    }

    private enum State
    {
        Length,
        Payload,
        Comma,
    }

    public int MaxPayloadBytes { get; }

    /// <summary>True when no partial frame is buffered.</summary>
    public bool IsAtFrameBoundary => _state == State.Length && _digits == 0;

    /// <summary>Consumes <paramref name="data"/> and appends every completed payload to <paramref name="frames"/>.</summary>
    public void Feed(ReadOnlySpan<byte> data, ICollection<byte[]> frames)
    {
        if (_failed)
        {
            throw new InvalidOperationException("The netstring stream is already broken.");
        }

        try
        {
            FeedCore(data, frames);
        }
        catch (NetstringFormatException)
        {
            _failed = true;
            throw;
        }
    }

    private void FeedCore(ReadOnlySpan<byte> data, ICollection<byte[]> frames)
    {
        var i = 0;
        while (i < data.Length)
        {
            switch (_state)
            {
                case State.Length:
                    {
                        var b = data[i++];
                        if (b is >= (byte)'0' and <= (byte)'9')
                        {
                            if (_leadingZero)
                            {
                                throw new NetstringFormatException("netstring length has a leading zero");
                            }

                            if (_digits == MaxLengthDigits)
                            {
                                throw new NetstringFormatException($"netstring length has more than {MaxLengthDigits} digits");
                            }

                            _leadingZero = _digits == 0 && b == (byte)'0';
                            _length = (_length * 10) + (b - '0');
                            _digits++;
                            if (_length > MaxPayloadBytes)
                            {
                                throw new NetstringFormatException(
                                    $"netstring payload too big ({(_digits < MaxLengthDigits ? "at least " : string.Empty)}{_length} bytes > {MaxPayloadBytes})");
                            }
                        }
                        else if (b == (byte)':')
                        {
                            if (_digits == 0)
                            {
                                throw new NetstringFormatException("netstring has no length before ':'");
                            }

                            _payload = _length == 0 ? [] : new byte[_length];
                            _filled = 0;
                            _state = _length == 0 ? State.Comma : State.Payload;
                        }
                        else
                        {
                            throw new NetstringFormatException(
                                _digits == 0
                                    ? $"netstring does not start with a length (byte 0x{b:x2})"
                                    : $"netstring length is not followed by ':' (byte 0x{b:x2})");
                        }

                        break;
                    }

                case State.Payload:
                    {
                        var take = Math.Min(_length - _filled, data.Length - i);
                        data.Slice(i, take).CopyTo(_payload.AsSpan(_filled));
                        _filled += take;
                        i += take;
                        if (_filled == _length)
                        {
                            _state = State.Comma;
                        }

                        break;
                    }

                case State.Comma:
                    {
                        var b = data[i++];
                        if (b != (byte)',')
                        {
                            throw new NetstringFormatException($"netstring payload is not followed by ',' (byte 0x{b:x2})");
                        }

                        frames.Add(_payload);
                        _payload = [];
                        _length = 0;
                        _digits = 0;
                        _leadingZero = false;
                        _state = State.Length;
                        break;
                    }
            }
        }
    }
}
