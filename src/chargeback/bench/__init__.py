"""The benchmark harness: `make bench` times generation, the build, the data tests and an
incremental build on the same generated data, with the peak memory of each step, and appends a
row per run to BENCHMARKS.md."""
