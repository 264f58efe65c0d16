using System.Text.Json;
using System.Text.RegularExpressions;
using Coordinator.Silo.Hosting;
using Coordinator.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Coordinator.Gateway.Tests;

/// <summary>No value a client sends can start a console log line of its own (SECURITY.md#log-lines).</summary>
[Collection(LogCaptureNodeCollection.Name)]
public sealed partial class LogEscapingTests(LogCaptureNode node)
{
    private const string Forgery = "x\nfail: Forged.Category[0]\r\n      forged message\u2028\u001b[31m";

    [Fact]
    public async Task A_notification_method_with_line_breaks_is_logged_on_one_escaped_line()
    {
        var peer = $"p-{Guid.NewGuid():N}";
        await using var client = await node.ConnectAsync("logged", peer);

        await client.SendAsync(JsonSerializer.Serialize(new { notification = true, method = Forgery, data = new { } }));
        await Eventually.True(() => node.Log.Text.Contains(peer, StringComparison.Ordinal) && node.Log.Text.Contains("Forged", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "the dropped notification to be logged");

        var entry = Assert.Single(node.Log.Entries, entry => entry.Text.Contains("Forged", StringComparison.Ordinal));
        Assert.Contains(@"unknown notification method ""x\nfail: Forged.Category[0]\r\n      forged message\u2028\u001B[31m""", entry.Text);
        Assert.Contains($"RoomId:logged, PeerName:{peer}", entry.Text);
        AssertNoForgedLine(node.Log.Text);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("a\r\nb\tc", @"a\r\nb\tc")]
    [InlineData("nul\0 esc\u001b del\u007f nel\u0085", @"nul\u0000 esc\u001B del\u007F nel\u0085")]
    [InlineData("ls\u2028 ps\u2029 rlo\u202e lri\u2066", @"ls\u2028 ps\u2029 rlo\u202E lri\u2066")]
    [InlineData(@"a literal \n stays", @"a literal \n stays")]
    public void Escape_makes_control_characters_visible(string text, string escaped) =>
        Assert.Equal(escaped, LogText.Escape(text));

    [Fact]
    public void Escape_shows_a_lone_surrogate_and_keeps_a_pair() =>
        Assert.Equal("lone \\uD800 pair \ud83d\ude00", LogText.Escape("lone \ud800 pair \ud83d\ude00"));

    [Fact]
    public void An_exception_keeps_its_stack_trace_lines_but_not_its_messages_line_breaks()
    {
        var text = LogText.EscapeException("System.Exception: a\nfail: b\r\n ---> System.Exception: c\n   at M()\n   --- End of inner exception stack trace ---\n   at N()");

        Assert.Equal(["System.Exception: a\\nfail: b\\r", " ---> System.Exception: c", "   at M()", "   --- End of inner exception stack trace ---", "   at N()"], text.Split('\n'));
    }

    [Theory]
    [InlineData(ConsoleFormatterNames.Simple)]
    [InlineData(ConsoleFormatterNames.Systemd)]
    public void The_text_console_formats_escape_message_scopes_and_exceptions(string format)
    {
        var text = Format(format);

        AssertNoForgedLine(text);
        Assert.DoesNotContain('\r', text);
        Assert.Contains(@"message x\nfail: Forged.Category[0]\r\n", text);
        Assert.Contains(@"RoomId:x\nfail: Forged.Category[0]\r\n", text);
        Assert.Contains(@"InvalidOperationException: boom x", text); // the exception is still written
    }

    [Fact]
    public void The_json_format_is_left_to_escape_by_itself()
    {
        var entry = JsonDocument.Parse(Format(ConsoleFormatterNames.Json)).RootElement;

        Assert.Equal($"message {Forgery}", entry.GetProperty("Message").GetString());
    }

    /// <summary>One entry with the forgery in its message, a scope value and an exception, formatted by the format a node registers.</summary>
    private static string Format(string format)
    {
        var builder = Host.CreateApplicationBuilder();
        LoggingDefaults.Apply(builder);
        builder.Configuration["Logging:Console:FormatterOptions:ColorBehavior"] = "Disabled";
        using var host = builder.Build();
        var formatter = host.Services.GetServices<ConsoleFormatter>().First(formatter => formatter.Name == format);
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object> { ["RoomId"] = Forgery });
        using var writer = new StringWriter();

        formatter.Write(
            new LogEntry<string>(LogLevel.Warning, "Test.Category", new EventId(7), $"message {Forgery}", new InvalidOperationException($"boom {Forgery}"), (state, _) => state),
            scopes,
            writer);
        return writer.ToString();
    }

    /// <summary>A forged entry would be a line of its own starting with a level, as real entries do.</summary>
    private static void AssertNoForgedLine(string text) =>
        Assert.DoesNotContain(text.Split('\n'), line => ForgedLine().IsMatch(line));

    [GeneratedRegex(@"^\s*(<\d>)?fail: Forged")]
    private static partial Regex ForgedLine();
}
