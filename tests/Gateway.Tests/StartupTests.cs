using Coordinator.Gateway.Hosting;
using Coordinator.TestSupport;
using Microsoft.Extensions.Configuration;

namespace Coordinator.Gateway.Tests;

/// <summary>How the node refuses to start instead of pretending.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Without_a_media_worker_the_node_does_not_start_and_says_how_to_get_one()
    {
        await using var app = CoordinatorNode.Build(
        [
            "--Gateway:DevelopmentMode=true",
            "--Gateway:Port=0",
            $"--Orleans:SiloPort={FreePort.Next()}",
            $"--Orleans:GatewayPort={FreePort.Next()}",
            $"--Orleans:ClusterId=startup-{Guid.NewGuid():N}",
            "--MediaWorkers:BinaryPath=/nonexistent/mediasoup-worker",
        ]);

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());

        Assert.Contains("scripts/build-worker.sh", Flatten(failure));
    }

    [Theory]
    [InlineData("--Rooms:MediaCodecs=[{\"kind\":\"video\",\"name\":\"foo\",\"clockRate\":90000}]", "RoomMediaCodec not supported [name:foo]")]
    [InlineData("--Rooms:MediaCodecs=[{", "is not valid JSON")]
    [InlineData("--Rooms:MediaCodecsFile=/nonexistent/codecs.json", "/nonexistent/codecs.json")]
    public void Invalid_media_codecs_stop_the_node_before_it_starts(string codecs, string reason)
    {
        var failure = Assert.ThrowsAny<Exception>(() => CoordinatorNode.Build(["--Gateway:DevelopmentMode=true", "--Gateway:Port=0", codecs]));

        Assert.Contains(reason, Flatten(failure));
    }

    [Fact]
    public void Without_explicit_development_mode_the_node_refuses_to_run_unauthenticated()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => CoordinatorNode.Build(["--Gateway:Port=0"]));

        Assert.Contains("Gateway:Tokens:SigningKey", failure.Message);
        Assert.Contains("Gateway:DevelopmentMode=true", failure.Message);
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "--hostBuilder:reloadConfigOnChange=true" }, true)]
    public async Task Appsettings_files_are_read_once_unless_reloading_is_asked_for(string[] extra, bool reloads)
    {
        await using var app = CoordinatorNode.Build(["--Gateway:DevelopmentMode=true", "--Gateway:Port=0", .. extra]);

        var files = ((IConfigurationRoot)app.Configuration).Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, file => file.Source.Path == "appsettings.json");
        Assert.All(files, file => Assert.Equal(reloads, file.Source.ReloadOnChange));
    }

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten))
            : exception.Message + (exception.InnerException is { } inner ? " | " + Flatten(inner) : "");
}
