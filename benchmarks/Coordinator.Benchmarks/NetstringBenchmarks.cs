using System.Text;
using BenchmarkDotNet.Attributes;
using Coordinator.Silo.Workers;

namespace Coordinator.Benchmarks;

/// <summary>
/// The worker channel framing: netstring encode of one request, and decode of a stream of 64 frames
/// read at once or in 4 KiB socket-sized chunks. Payloads are JSON of a typical worker request size
/// (200 B), a createProducer with its RTP parameters (4 KB), and close to the 64 KiB limit.
/// </summary>
[MemoryDiagnoser]
public class NetstringBenchmarks
{
    private const int FramesPerStream = 64;
    private const int ChunkBytes = 4096;
    private readonly List<byte[]> _frames = new(FramesPerStream);
    private byte[] _payload = null!;
    private byte[] _stream = null!;

    [Params(200, 4_000, 60_000)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var json = new StringBuilder("""{"id":12345678,"method":"transport.createProducer","internal":{"routerId":1,"transportId":2,"producerId":3},"data":{"x":""");
        while (json.Length < PayloadBytes - 3)
        {
            json.Append('a');
        }

        json.Append("\"}}");
        _payload = Encoding.UTF8.GetBytes(json.ToString());
        var frame = NetstringFramer.Encode(_payload);
        _stream = new byte[frame.Length * FramesPerStream];
        for (var i = 0; i < FramesPerStream; i++)
        {
            frame.CopyTo(_stream, i * frame.Length);
        }
    }

    [Benchmark(Description = "encode one frame")]
    public byte[] Encode() => NetstringFramer.Encode(_payload);

    [Benchmark(Description = "decode 64 frames, one read", OperationsPerInvoke = FramesPerStream)]
    public int DecodeWhole()
    {
        _frames.Clear();
        new NetstringDecoder().Feed(_stream, _frames);
        return _frames.Count;
    }

    [Benchmark(Description = "decode 64 frames, 4 KiB reads", OperationsPerInvoke = FramesPerStream)]
    public int DecodeChunked()
    {
        _frames.Clear();
        var decoder = new NetstringDecoder();
        for (var offset = 0; offset < _stream.Length; offset += ChunkBytes)
        {
            decoder.Feed(_stream.AsSpan(offset, Math.Min(ChunkBytes, _stream.Length - offset)), _frames);
        }

        return _frames.Count;
    }
}
