"""Moved: the app's preferences are kept by `langkah.preferences` (an adapter beside the store).

This name stays importable until every caller imports `langkah.preferences` directly.
"""

from langkah.preferences import FILE_NAME, Preferences

__all__ = ["FILE_NAME", "Preferences"]
