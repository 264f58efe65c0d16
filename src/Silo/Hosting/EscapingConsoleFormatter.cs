using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Coordinator.Silo.Hosting;

/// <summary>
/// Wraps the text console formatters (<c>simple</c>, <c>systemd</c>) so that the message and every
/// scope value are passed through <see cref="LogText.Escape"/>: a value a client chose (a room id, a
/// notification method, a request path) can never start a log line of its own. Exceptions keep
/// the line breaks of their stack traces only (<see cref="LogText.EscapeException"/>). The
/// <c>json</c> formatter escapes by itself and is left as it is.
/// </summary>
internal sealed class EscapingConsoleFormatter(ConsoleFormatter inner) : ConsoleFormatter(inner.Name), IDisposable
{
    /// <summary>
    /// Replaces each registered console formatter with a factory that builds the original and, for
    /// the text formatters, wraps it. The replacement keeps its place, so it is still the one the
    /// console logger picks by name.
    /// </summary>
    public static void Decorate(IServiceCollection services)
    {
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i] is { IsKeyedService: false, ImplementationType: { } type } descriptor && descriptor.ServiceType == typeof(ConsoleFormatter))
            {
                services[i] = ServiceDescriptor.Singleton<ConsoleFormatter>(provider => Wrap((ConsoleFormatter)ActivatorUtilities.CreateInstance(provider, type)));
            }
        }
    }

    private static ConsoleFormatter Wrap(ConsoleFormatter formatter) =>
        formatter.Name is ConsoleFormatterNames.Simple or ConsoleFormatterNames.Systemd ? new EscapingConsoleFormatter(formatter) : formatter;

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var format = logEntry.Formatter;
        var exception = logEntry.Exception;
        var escaped = new LogEntry<TState>(
            logEntry.LogLevel,
            logEntry.Category,
            logEntry.EventId,
            logEntry.State,
            exception is null ? null : new EscapedException(exception),
            (state, _) => LogText.Escape(format(state, exception)));
        inner.Write(escaped, scopeProvider is null ? null : new EscapingScopes(scopeProvider), textWriter);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    /// <summary>Stands in for an exception only for the formatter, which writes its <see cref="ToString"/>.</summary>
    private sealed class EscapedException(Exception original) : Exception(original.Message)
    {
        public override string ToString() => LogText.EscapeException(original.ToString());
    }

    /// <summary>Hands the formatter each scope as escaped text.</summary>
    private sealed class EscapingScopes(IExternalScopeProvider scopes) : IExternalScopeProvider
    {
        private static readonly ConcurrentDictionary<Type, bool> HasOwnText = new();

        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            scopes.ForEachScope((scope, forwarded) => callback(Text(scope), forwarded), state);

        public IDisposable Push(object? state) => scopes.Push(state);

        /// <summary>
        /// A scope's own text if its type has one (ASP.NET's request scope, a message template);
        /// otherwise, for a dictionary or list of pairs, <c>Key:value, Key:value</c>.
        /// </summary>
        private static string? Text(object? scope)
        {
            if (scope is null)
            {
                return null;
            }

            var text = scope is IEnumerable<KeyValuePair<string, object?>> pairs && !HasOwnText.GetOrAdd(scope.GetType(), OverridesToString)
                ? string.Join(", ", pairs.Select(pair => $"{pair.Key}:{pair.Value}"))
                : scope.ToString() ?? "";
            return LogText.Escape(text);
        }

        private static bool OverridesToString(Type type) => type.GetMethod(nameof(ToString), Type.EmptyTypes)?.DeclaringType != typeof(object);
    }
}
