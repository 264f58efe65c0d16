using System.Net;
using Coordinator.TestSupport;

namespace Coordinator.Gateway.Tests;

[Collection(EmbeddedNodeCollection.Name)]
public sealed class HealthTests(EmbeddedNode node)
{
    [Fact]
    public async Task Live_answers_as_long_as_the_process_runs()
    {
        using var response = await node.Http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_once_the_node_sees_an_active_silo() =>
        await Eventually.True(
            async () => (await node.Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(10),
            "/health/ready to answer 200");
}
