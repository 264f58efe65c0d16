using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Coordinator.Tools.LoadTest;

/// <summary>Exact percentiles over every recorded sample (sorted at the end; nearest rank).</summary>
public sealed record LatencySummary(long Count, double Mean, double Min, double P50, double P95, double P99, double Max)
{
    public static LatencySummary From(IReadOnlyList<double> sorted)
    {
        if (sorted.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }

        double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        return new LatencySummary(sorted.Count, Round(sorted.Average()), Round(sorted[0]), Round(Percentile(0.50)), Round(Percentile(0.95)), Round(Percentile(0.99)), Round(sorted[^1]));
    }

    private static double Round(double ms) => Math.Round(ms, 3);
}

/// <summary>Latency samples (ms) per request method and per notification, completed units and errors by reason.</summary>
public sealed partial class Recorder
{
    private readonly ConcurrentDictionary<string, Samples> _steps = new();
    private readonly ConcurrentDictionary<string, Samples> _notifications = new();
    private readonly ConcurrentDictionary<string, long> _errors = new();
    private long _completed;
    private long _requests;
    private long _notificationsSent;
    private long _errorCount;

    public long Completed => Interlocked.Read(ref _completed);

    public long Requests => Interlocked.Read(ref _requests);

    public long NotificationsSent => Interlocked.Read(ref _notificationsSent);

    public long ErrorCount => Interlocked.Read(ref _errorCount);

    /// <summary>A protoo request's round trip (counted in the request throughput).</summary>
    public void Request(string method, double milliseconds)
    {
        Step(method, milliseconds);
        Interlocked.Increment(ref _requests);
    }

    /// <summary>A timed step that is not a protoo request (connect, close, a whole sequence).</summary>
    public void Step(string name, double milliseconds) => _steps.GetOrAdd(name, _ => new Samples()).Add(milliseconds);

    /// <summary>From sending the message that triggers it to its arrival at a receiving socket.</summary>
    public void Notification(string method, double milliseconds) => _notifications.GetOrAdd(method, _ => new Samples()).Add(milliseconds);

    public void NotificationSent() => Interlocked.Increment(ref _notificationsSent);

    public void CompletedOne() => Interlocked.Increment(ref _completed);

    /// <summary>
    /// A completed unit and its duration, in one call: the run swaps its recorder when the warm-up ends, so
    /// a caller that fetched the recorder twice could put the sample in one and the count in the other.
    /// </summary>
    public void CompletedOne(string step, double milliseconds)
    {
        Step(step, milliseconds);
        CompletedOne();
    }

    /// <summary>Counts an error under a reason with its numbers blanked, so that ids do not split one reason into many.</summary>
    public void Error(string reason)
    {
        var normalized = Digits().Replace(reason, "N");
        if (normalized.Length > 200)
        {
            normalized = normalized[..200] + "…";
        }

        _errors.AddOrUpdate(normalized, 1, (_, count) => count + 1);
        Interlocked.Increment(ref _errorCount);
    }

    public IReadOnlyDictionary<string, LatencySummary> StepSummaries(IEnumerable<string> preferredOrder) => Summaries(_steps, preferredOrder);

    public IReadOnlyDictionary<string, LatencySummary> NotificationSummaries(IEnumerable<string> preferredOrder) => Summaries(_notifications, preferredOrder);

    public IReadOnlyDictionary<string, long> Errors() =>
        _errors.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary(pair => pair.Key, pair => pair.Value);

    private static Dictionary<string, LatencySummary> Summaries(ConcurrentDictionary<string, Samples> samples, IEnumerable<string> preferredOrder)
    {
        var order = preferredOrder.ToList();
        return samples.Keys
            .OrderBy(name => order.IndexOf(name) is var index and >= 0 ? index : int.MaxValue)
            .ThenBy(name => name, StringComparer.Ordinal)
            .ToDictionary(name => name, name => LatencySummary.From(samples[name].Sorted()));
    }

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();

    private sealed class Samples
    {
        private readonly List<double> _values = [];

        public void Add(double value)
        {
            lock (_values)
            {
                _values.Add(value);
            }
        }

        public double[] Sorted()
        {
            double[] copy;
            lock (_values)
            {
                copy = [.. _values];
            }

            Array.Sort(copy);
            return copy;
        }
    }
}
