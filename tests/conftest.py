"""Shared pytest configuration. Area fixtures live in tests/fixtures_<area>.py or tests/e2e.py."""

from tests.e2e import mock_presstv  # noqa: F401  (the end-to-end fixture, for every test module)
