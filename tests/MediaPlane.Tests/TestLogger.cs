using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests;

/// <summary>A logger factory that writes to the xunit output and keeps every entry for assertions.</summary>
public sealed class TestLoggerFactory(ITestOutputHelper? output = null) : ILoggerFactory
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Entries { get; } = new();

    internal ITestOutputHelper? Output { get; } = output;

    public ILogger CreateLogger(string categoryName) => new TestLogger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    public bool Contains(LogLevel level, string fragment) =>
        Entries.Any(e => e.Level == level && e.Message.Contains(fragment, StringComparison.Ordinal));

    private sealed class TestLogger(TestLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            factory.Entries.Enqueue((logLevel, category, message));
            try
            {
                factory.Output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category.Split('.')[^1]}: {message}{(exception is null ? string.Empty : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; output is no longer accepted.
            }
        }
    }
}
