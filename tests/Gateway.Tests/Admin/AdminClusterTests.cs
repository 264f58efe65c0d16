using System.Net;
using System.Text.Json;
using Coordinator.Grains.Interfaces;
using Coordinator.Silo.Workers;
using Coordinator.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Gateway.Tests.Admin;

/// <summary>The admin API's cluster view against a real embedded node: its silo, its workers' processes, its gateway.</summary>
[Collection(AdminNodeCollection.Name)]
public sealed class AdminClusterTests(AdminNode node)
{
    private readonly string _room = $"room-{Guid.NewGuid():N}";

    [Fact]
    public async Task The_cluster_view_shows_the_silo_with_its_rooms_and_worker_processes_and_the_gateway_with_its_sessions()
    {
        await using var joined = await node.JoinedPeersAsync(_room, "alice", "bob");
        var worker = Assert.Single(node.Services.GetRequiredService<WorkerPool>().Workers);
        var silo = (await node.Services.GetRequiredService<IGrainFactory>().GetGrain<IRoomGrain>(_room).Host()).ToParsableString();

        // The gateway reports its sessions with its next lease renewal.
        AdminResponse report = null!;
        await Eventually.True(
            async () =>
            {
                report = await node.GetAsync("/admin/cluster");
                return report.Status == HttpStatusCode.OK
                    && report.Json.GetProperty("gateways").EnumerateArray().Any(gateway => gateway.GetProperty("sessions").GetInt32() >= 2);
            },
            TimeSpan.FromSeconds(10),
            "the gateway's lease to hold both sessions");

        var only = Assert.Single(report.Json.GetProperty("silos").EnumerateArray());
        Assert.Equal(silo, only.GetProperty("address").GetString());
        Assert.Equal(("Active", "ok"), (only.GetProperty("status").GetString(), only.GetProperty("health").GetString()));
        Assert.Equal(JsonValueKind.Null, only.GetProperty("problem").ValueKind);
        Assert.Equal(Environment.MachineName, only.GetProperty("hostName").GetString());
        var room = Assert.Single(only.GetProperty("rooms").EnumerateArray(), room => room.GetProperty("id").GetString() == _room);
        Assert.Equal(2, room.GetProperty("peers").GetInt32());
        Assert.Equal(worker.Id, room.GetProperty("worker").GetString());
        Assert.True(only.GetProperty("connectedPeers").GetInt32() >= 2, only.ToString());

        Assert.Equal(1, only.GetProperty("configuredWorkers").GetInt32());
        var process = Assert.Single(only.GetProperty("workers").EnumerateArray());
        Assert.Equal(worker.Id, process.GetProperty("id").GetString());
        Assert.Equal(worker.Pid, process.GetProperty("pid").GetInt32());
        Assert.True(process.GetProperty("routers").GetInt32() >= 1, process.ToString());
        Assert.InRange(process.GetProperty("cpuPercent").GetDouble(), 0, 100 * Environment.ProcessorCount);
        Assert.True(process.GetProperty("cpuWindowSeconds").GetDouble() > 0, process.ToString());
        Assert.InRange(process.GetProperty("memoryBytes").GetInt64(), 1L << 20, 1L << 32);

        var gateway = Assert.Single(report.Json.GetProperty("gateways").EnumerateArray());
        Assert.Equal("ok", gateway.GetProperty("health").GetString());
        Assert.Contains(node.HttpUri.GetLeftPart(UriPartial.Authority), gateway.GetProperty("urls").EnumerateArray().Select(url => url.GetString()));
        Assert.True(gateway.GetProperty("connections").GetInt32() >= 2, gateway.ToString());
        Assert.Equal(silo, gateway.GetProperty("leaseSilo").GetString());
        Assert.Contains($"/{Environment.ProcessId}/", gateway.GetProperty("id").GetString());
    }

    [Fact]
    public async Task The_cluster_view_needs_a_token_for_every_room()
    {
        var scoped = node.Token(_room, "room-operator", PeerGrants.Admin);

        var response = await node.GetAsync("/admin/cluster", scoped);

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal($"this admin token is for room \"{_room}\" only; the cluster view needs a token for every room (\"*\")", response.Error);
    }
}
