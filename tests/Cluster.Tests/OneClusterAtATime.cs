// Each test here runs a whole cluster (silos, gateways, Redis or PostgreSQL, often media workers) as
// processes, and many assert how fast it notices and recovers from a fault. Two such clusters at once
// on a 2-core machine starve each other's membership probes and timers, which fails those checks for
// reasons that are not the product's: the tests run one class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
