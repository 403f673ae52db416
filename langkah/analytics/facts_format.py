"""The kept facts' format number (part of their stamp): apart, so that `langkah stats`' lean
path on PostgreSQL (langkah/stats_lean.py) reads it without importing the engine."""

FACTS_FORMAT = 1  # change when what an entry holds, or how it is computed, changes
