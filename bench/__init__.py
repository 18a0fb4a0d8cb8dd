"""Benchmarks that print figures against baselines measured in the same run (`make bench`; see docs/performance.md)."""
