namespace Coordinator.Silo.Workers;

/// <summary>A message was not sent because its payload exceeds the worker's 65 536-byte limit.</summary>
public sealed class RequestTooBigException(int size, int limit)
    : InvalidOperationException($"request too big ({size} bytes > {limit})")
{
    public int Size { get; } = size;

    public int Limit { get; } = limit;
}

/// <summary>The byte stream is not valid netstring framing.</summary>
public sealed class NetstringFormatException(string message) : FormatException(message);

/// <summary>
/// The worker rejected a request. <see cref="Exception.Message"/> is the worker's <c>reason</c>
/// verbatim (e.g. <c>a Transport with same transportId already exists</c>), like the Node lib's
/// <c>new Error(reason)</c>.
/// </summary>
public sealed class WorkerRequestException(string workerId, string method, string reason) : Exception(reason)
{
    public string WorkerId { get; } = workerId;

    public string Method { get; } = method;

    public string Reason => Message;
}

/// <summary>No reply came within the request timeout; the request is forgotten and a late reply ignored.</summary>
public sealed class WorkerRequestTimeoutException(string workerId, string method, uint requestId, TimeSpan timeout)
    : TimeoutException($"request timeout: {method} (id {requestId}) to worker {workerId} got no reply within {timeout.TotalMilliseconds:0} ms")
{
    public string WorkerId { get; } = workerId;

    public string Method { get; } = method;
}

/// <summary>The worker's channel is closed (worker stopped, crashed or was killed); the request cannot complete.</summary>
public sealed class WorkerClosedException(string workerId, string reason)
    : Exception($"worker {workerId} channel closed: {reason}")
{
    public string WorkerId { get; } = workerId;

    public string Reason { get; } = reason;
}

/// <summary>A worker could not be started (missing binary, bad configuration, early exit…).</summary>
public sealed class WorkerStartException(string message, Exception? inner = null) : Exception(message, inner);
