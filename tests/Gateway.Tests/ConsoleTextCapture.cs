using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// A logger that writes every entry as the node's console would in its default format: through
/// the node's own console formatter named <c>simple</c>, into text a test can read.
/// </summary>
public sealed class ConsoleTextCapture(ConsoleFormatter formatter) : ILoggerProvider, ISupportExternalScope
{
    private readonly Lock _gate = new();
    private readonly StringBuilder _text = new();
    private readonly List<(LogLevel Level, string Category, string Text)> _entries = [];
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <summary>Everything written so far.</summary>
    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private void Write<TState>(in LogEntry<TState> entry)
    {
        using var writer = new StringWriter();
        formatter.Write(entry, _scopes, writer);
        lock (_gate)
        {
            _text.Append(writer);
            _entries.Add((entry.LogLevel, entry.Category, writer.ToString()));
        }
    }

    private sealed class Logger(ConsoleTextCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => capture._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter));
    }
}

/// <summary>An embedded node whose log, as its console would print it, the tests can read.</summary>
public sealed class LogCaptureNode : EmbeddedNode
{
    public ConsoleTextCapture Log { get; private set; } = null!;

    protected override IEnumerable<string> Settings => ["--Logging:Console:FormatterOptions:ColorBehavior=Disabled"];

    protected override void Configure(WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<ILoggerProvider>(services =>
            Log = new ConsoleTextCapture(services.GetServices<ConsoleFormatter>().First(formatter => formatter.Name == ConsoleFormatterNames.Simple)));
}

[CollectionDefinition(Name)]
public sealed class LogCaptureNodeCollection : ICollectionFixture<LogCaptureNode>
{
    public const string Name = "log-capturing node";
}
