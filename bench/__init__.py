"""Benchmarks with their baselines measured in the same run; see bench/README.md."""
