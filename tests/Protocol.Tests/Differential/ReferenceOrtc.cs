using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.TestSupport;
using Xunit.Sdk;

namespace Coordinator.Protocol.Tests.Differential;

/// <summary>
/// The real mediasoup 2.6.19 <c>lib/ortc.js</c>, run by <c>ortc-driver.js</c> in one long-lived
/// node process: one JSON line out, one JSON line back. The lib is the one
/// <c>scripts/build-worker.sh</c> keeps beside the worker binary; a missing node or lib FAILS the
/// test with a message saying how to get them (it is never skipped).
/// </summary>
public sealed class ReferenceOrtc : IDisposable
{
    /// <summary>Where scripts/build-worker.sh puts the package's lib/, relative to the repository root.</summary>
    public const string LibRelativePath = ".cache/mediasoup-worker/2.6.19/lib";

    /// <summary>The driver's SSRC counter restarts here for every request (see ortc-driver.js).</summary>
    public const long FirstSsrc = 10_000_001;

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    private readonly Process process;
    private readonly StringBuilder stderr = new();

    private ReferenceOrtc(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, line) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(line.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the driver, or throws with the way to install what is missing.</summary>
    public static ReferenceOrtc Start()
    {
        var root = TestData.RepositoryRoot();
        var ortc = Path.Combine(root, LibRelativePath, "ortc.js");
        var driver = Path.Combine(root, "tests", "Protocol.Tests", "Differential", "ortc-driver.js");
        if (!File.Exists(ortc))
        {
            throw new XunitException(
                $"mediasoup 2.6.19's lib/ortc.js is missing at {ortc}. Run scripts/build-worker.sh (from the repository " +
                "root): it keeps the npm package's lib/ beside the worker binary, without rebuilding a worker that is already there.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--no-opt"); // deterministic V8 error texts: see ortc-driver.js
        start.ArgumentList.Add(driver);
        start.ArgumentList.Add(ortc);
        try
        {
            var process = Process.Start(start) ?? throw new XunitException("node did not start");
            var reference = new ReferenceOrtc(process);
            reference.Handshake();
            return reference;
        }
        catch (Win32Exception e)
        {
            throw new XunitException(
                $"node is not on PATH ({e.Message}). The differential ORTC test runs mediasoup's lib/ortc.js under node: " +
                "install node (Debian: apt-get install -y nodejs npm), then run scripts/build-worker.sh.");
        }
    }

    /// <summary>Calls one driver op; the arguments are JSON texts, or null for <c>undefined</c>.</summary>
    public ReferenceAnswer Call(string op, params string?[] args)
    {
        var request = new StringBuilder();
        request.Append("{\"op\":\"").Append(op).Append("\",\"args\":[");
        var undefinedArgs = new List<int>();
        for (var i = 0; i < args.Length; i++)
        {
            if (i > 0)
            {
                request.Append(',');
            }

            if (args[i] is { } text)
            {
                request.Append(text);
            }
            else
            {
                request.Append("null");
                undefinedArgs.Add(i);
            }
        }

        request.Append("],\"undefinedArgs\":[").Append(string.Join(',', undefinedArgs)).Append("]}");
        return Send(request.ToString());
    }

    public void Dispose()
    {
        try
        {
            process.StandardInput.Close(); // the driver exits when its input ends
            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // already gone
        }

        process.Dispose();
    }

    private void Handshake()
    {
        // A harmless call proves node, the driver and the lib (with its npm dependencies) all load.
        var answer = Call("generateRoomRtpCapabilities", "[]");
        if (answer.Ok || answer.ErrorMessage != "mediaCodecs cannot be empty")
        {
            throw new XunitException($"the ORTC driver answered its handshake unexpectedly: {answer}");
        }
    }

    private ReferenceAnswer Send(string line)
    {
        string? reply;
        try
        {
            process.StandardInput.WriteLine(line);
            process.StandardInput.Flush();
            reply = process.StandardOutput.ReadLineAsync().WaitAsync(AnswerTimeout).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            throw new XunitException($"the ORTC driver did not answer ({e.Message}). Its stderr:\n{Stderr()}");
        }

        if (reply is null)
        {
            throw new XunitException(
                $"the ORTC driver exited. If it could not load the lib, run scripts/build-worker.sh. Its stderr:\n{Stderr()}");
        }

        var answer = ReferenceAnswer.Parse(reply);
        if (answer.ErrorName == "DriverError")
        {
            throw new XunitException($"the ORTC driver refused the request: {answer.ErrorMessage}\nrequest: {line}");
        }

        return answer;
    }

    private string Stderr()
    {
        // The exit may race the last stderr lines; give the reader a moment to drain them.
        process.WaitForExit(TimeSpan.FromSeconds(1));
        lock (stderr)
        {
            return stderr.ToString();
        }
    }
}

/// <summary>One answer of the driver: a result, or a JS error's class and message (and the stage that threw).</summary>
public sealed record ReferenceAnswer(bool Ok, JsonNode? Result, string? ErrorName, string? ErrorMessage, string? Stage)
{
    public static ReferenceAnswer Parse(string line)
    {
        var answer = JsonNode.Parse(line)!.AsObject();
        var error = answer["error"];
        return new ReferenceAnswer(
            answer["ok"]!.GetValue<bool>(),
            answer["result"]?.DeepClone(),
            error?["name"]?.GetValue<string>(),
            error?["message"]?.GetValue<string>(),
            answer["stage"]?.GetValue<string>());
    }

    public override string ToString() => Ok
        ? $"ok: {Result?.ToJsonString() ?? "null"}"
        : $"{(Stage is null ? string.Empty : Stage + " threw ")}{ErrorName}: {ErrorMessage}";
}
