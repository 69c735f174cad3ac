"""RunBack benchmarks: `runback bench` (see benchmarks/__main__.py)."""
