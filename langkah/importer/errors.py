"""The one error the importer raises: a message naming what is wrong with the document."""

from __future__ import annotations


class ImportFailure(Exception):
    """The document cannot be imported; `str(error)` says why, in Bahasa Indonesia."""
