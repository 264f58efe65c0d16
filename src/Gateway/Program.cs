using Coordinator.Gateway.Hosting;
using Coordinator.Silo.Hosting;

// The gateway process. By default (Node:Mode=Embedded) it also runs a silo: the single-process
// coordinator. With Node:Mode=Gateway it is an Orleans client of separately started silos.
NativeHeap.MapLargeBlocks();
StopExitCode.ZeroOnlyWhenAskedToStop();
var app = CoordinatorNode.Build(args);
await app.RunAsync();
