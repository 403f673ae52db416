"""Langkah's application layer: the adapters around the pure engine (store, report, CLI)."""
