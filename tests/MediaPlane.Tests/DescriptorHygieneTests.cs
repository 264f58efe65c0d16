using Coordinator.Silo.Workers;
using Xunit;
using Xunit.Abstractions;

namespace Coordinator.MediaPlane.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "serial: counts this process's file descriptors";
}

/// <summary>Runs alone, because it counts this process's open file descriptors.</summary>
[Collection(SerialCollection.Name)]
public sealed class DescriptorHygieneTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Starting_and_stopping_workers_leaks_no_descriptor_and_no_process()
    {
        // Warm up whatever the runtime opens lazily (sockets engine, thread pool, etc.).
        await (await WorkerBinary.StartAsync("fd-warmup", 48000, 48999)).DisposeAsync();
        var before = OpenDescriptors();

        var pids = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            var worker = await WorkerBinary.StartAsync("fd", 48000, 48999);
            pids.Add(worker.Pid);
            if (i % 2 == 0)
            {
                worker.Kill();
                await worker.Terminated;
            }

            await worker.DisposeAsync();
        }

        var after = OpenDescriptors();
        output.WriteLine($"open fds before {before.Count}, after {after.Count}; new: {string.Join(", ", after.Except(before))}");
        Assert.InRange(after.Count, 0, before.Count + 2);
        Assert.All(pids, pid => Assert.False(WorkerBinary.ProcessExists(pid), $"/proc/{pid} still exists"));
    }

    private static List<string> OpenDescriptors() =>
        [.. Directory.GetFileSystemEntries("/proc/self/fd").Select(fd =>
        {
            try
            {
                return $"{Path.GetFileName(fd)}->{new FileInfo(fd).LinkTarget}";
            }
            catch (IOException)
            {
                return Path.GetFileName(fd);
            }
        })];
}
