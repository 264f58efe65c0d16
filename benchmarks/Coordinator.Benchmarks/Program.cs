using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Micro-benchmarks (BenchmarkDotNet). Examples:
//   dotnet run -c Release --project benchmarks/Coordinator.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/Coordinator.Benchmarks -- --filter '*Ortc*'
//   dotnet run -c Release --project benchmarks/Coordinator.Benchmarks -- --list flat
// BenchmarkDotNet's default toolchain builds a generated project that recompiles src/ from the working
// tree; add --inProcess to measure the binaries just built instead (no second build, slightly less isolation).
// Inputs come from the captured Chromium session in tests/data/client/, built into the assembly (Inputs.cs).
// Reports go to BenchmarkDotNet.Artifacts/ beside the built binary (git-ignored bin/), unless --artifacts says otherwise.
var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
BenchmarkSwitcher.FromAssembly(typeof(Coordinator.Benchmarks.Inputs).Assembly).Run(args, config);
