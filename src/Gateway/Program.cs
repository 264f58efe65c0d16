using Coordinator.Gateway.Hosting;

// The gateway process. By default (Node:Mode=Embedded) it also runs a silo: the single-process
// coordinator. With Node:Mode=Gateway it is an Orleans client of separately started silos.
var app = CoordinatorNode.Build(args);
await app.RunAsync();
