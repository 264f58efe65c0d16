using Coordinator.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Coordinator.Cluster.Tests;

/// <summary>The documented Orleans settings of a silo reach Orleans' options (the host is built, not started).</summary>
public sealed class SiloSettingsTests
{
    [Fact]
    public void The_directory_settings_apply_under_their_documented_key()
    {
        // Orleans reads Orleans:GrainDirectory itself (named directory providers), so ours live elsewhere.
        using var host = BuildSilo(("Orleans:Directory:RangeLeaseDuration", "00:00:07"));

        Assert.Equal(TimeSpan.FromSeconds(7), host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.RangeLeaseDuration);
    }

    [Fact]
    public void The_directory_holds_a_dead_silos_range_for_2_s_by_default()
    {
        using var host = BuildSilo();

        Assert.Equal(TimeSpan.FromSeconds(2), host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.RangeLeaseDuration);
    }

    [Theory]
    [InlineData("Redis")]
    [InlineData(null)]
    public void The_directory_cache_is_sized_for_100_000_grains_by_default(string? membershipStore)
    {
        // Orleans' default (a million) allocates its tables up front: 15 MiB of a fresh node's resident memory.
        using var host = BuildSilo(membershipStore);

        Assert.Equal(100_000, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
    }

    [Fact]
    public void The_directory_cache_size_can_be_set_on_an_embedded_node()
    {
        using var host = BuildSilo(membershipStore: null, ("Orleans:Directory:CacheSize", "2500"));

        Assert.Equal(2_500, host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value.CacheSize);
    }

    private static IHost BuildSilo(params (string Key, string Value)[] settings) => BuildSilo("Redis", settings);

    private static IHost BuildSilo(string? membershipStore, params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder();
        if (membershipStore is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Orleans:MembershipStore"] = membershipStore,
                ["Orleans:RedisConnectionString"] = "127.0.0.1:1",
            });
        }

        builder.Configuration.AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)));
        builder.UseOrleans(silo => silo.UseCoordinatorClustering(builder.Configuration));
        return builder.Build();
    }
}
