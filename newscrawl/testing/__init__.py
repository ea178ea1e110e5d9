"""Test and demo tooling: the mock news site and its misbehaving server. Nothing in the
crawler imports this package; the demo, the benchmarks and the tests do."""
