"""Performance figures of the course kit: `make bench` (python -m benchmarks)."""
