using BenchmarkDotNet.Running;

// `make bench`: speed goals are measured here, never in timed tests.
BenchmarkSwitcher.FromAssembly(typeof(BnnHdl.Benchmarks.ReferenceBenchmarks).Assembly).Run(args);
