using System.Net;
using Coordinator.Gateway.Hosting;
using Coordinator.TestSupport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests;

/// <summary>
/// <c>/metrics</c> is served on the operations listener alone (loopback by default), never on the
/// public listener where clients connect; both serve health as a bare status word.
/// </summary>
[Collection(EmbeddedNodeCollection.Name)]
public sealed class OperationsListenerTests(EmbeddedNode node)
{
    public static TheoryData<string> Methods => ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "SCRAPE"];

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Public_listener_answers_404_for_metrics_whatever_the_method(string method)
    {
        using var response = await node.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("coordinator_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Public_listener_ignores_a_host_header_naming_the_operations_port()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Host = node.OperationsUri!.Authority;

        using var response = await node.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Operations_listener_binds_loopback_by_default_and_serves_metrics_to_get_and_head()
    {
        Assert.Equal("127.0.0.1", node.OperationsUri!.Host);

        using var get = await node.OperationsHttp.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("text/plain", get.Content.Headers.ContentType?.MediaType);
        Assert.Contains("coordinator_connections", await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var head = await node.OperationsHttp.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Operations_listener_refuses_metrics_to_other_methods(string method)
    {
        using var response = await node.OperationsHttp.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/metrics") { Content = new StringContent("x") });

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?roomId=operations&peerName=alice")]
    [InlineData("/admin/rooms")]
    [InlineData("/metrics/extra")]
    public async Task Operations_listener_serves_nothing_but_metrics_and_health(string path)
    {
        using var response = await node.OperationsHttp.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Both_listeners_answer_health_with_a_status_word_only()
    {
        foreach (var http in new[] { node.Http, node.OperationsHttp })
        {
            using var live = await http.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());

            var ready = "";
            await Eventually.True(
                async () =>
                {
                    using var response = await http.GetAsync("/health/ready");
                    ready = await response.Content.ReadAsStringAsync();
                    return response.StatusCode == HttpStatusCode.OK;
                },
                TimeSpan.FromSeconds(10),
                $"/health/ready on {http.BaseAddress} to answer 200");
            Assert.Equal("Healthy", ready);
        }
    }

    [Fact]
    public void A_port_equal_to_the_public_one_stops_the_node_before_it_starts()
    {
        var failure = Assert.Throws<InvalidOperationException>(
            () => CoordinatorNode.Build(["--Gateway:DevelopmentMode=true", "--Gateway:Port=19466", "--Gateway:Operations:Port=19466"]));

        Assert.Contains("Gateway:Operations:Port must differ from Gateway:Port", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_that_is_not_an_ip_stops_the_node_before_it_starts()
    {
        var failure = Assert.Throws<InvalidOperationException>(
            () => CoordinatorNode.Build(["--Gateway:DevelopmentMode=true", "--Gateway:Port=0", "--Gateway:Operations:ListenAddress=metrics.example"]));

        Assert.Contains("Gateway:Operations:ListenAddress must be an IP address", failure.Message, StringComparison.Ordinal);
    }
}

/// <summary>A node started with <c>Gateway:Operations:Port=0</c>.</summary>
public sealed class NoOperationsListenerNode : EmbeddedNode
{
    protected override IEnumerable<string> Settings => ["--Gateway:Operations:Port=0"];
}

/// <summary>Not run in parallel with other collections, for the reason given at <see cref="ObservedNodeCollection"/>.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NoOperationsListenerCollection
{
    public const string Name = "node without an operations listener";
}

[Collection(NoOperationsListenerCollection.Name)]
public sealed class NoOperationsListenerTests(NoOperationsListenerNode node) : IClassFixture<NoOperationsListenerNode>
{
    [Fact]
    public async Task Port_zero_turns_the_operations_listener_off_and_metrics_stay_off_the_public_listener()
    {
        Assert.Null(node.OperationsUri);
        var addresses = node.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Assert.Single(addresses);

        using var metrics = await node.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        using var live = await node.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
