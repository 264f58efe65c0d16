using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// Keeps every log entry a node writes, with the <c>RoomId</c> of the socket it was written for
/// (from the gateway's logging scope), so a test can count what one socket caused.
/// </summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public sealed record Entry(LogLevel Level, string Category, string Message, string? RoomId);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    /// <summary>Warnings and worse written for sockets of <paramref name="roomId"/>.</summary>
    public IReadOnlyList<Entry> WarningsFor(string roomId) =>
        [.. Entries.Where(entry => entry.RoomId == roomId && entry.Level >= LogLevel.Warning)];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private string? CurrentRoomId()
    {
        string? roomId = null;
        _scopes.ForEachScope(
            (scope, _) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object>> values
                    && values.FirstOrDefault(pair => pair.Key == "RoomId").Value is string room)
                {
                    roomId = room;
                }
            },
            (object?)null);
        return roomId;
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Entries.Enqueue(new Entry(logLevel, category, formatter(state, exception), capture.CurrentRoomId()));
    }
}
