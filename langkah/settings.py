"""Where Langkah keeps things and which clock it reads: options, environment, platform defaults."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import platformdirs

APP_NAME = "langkah"


def data_dir(option: str | None = None) -> Path:
    """The data directory: --data-dir, else LANGKAH_DATA_DIR, else the platform user-data dir."""
    value = option or os.environ.get("LANGKAH_DATA_DIR")
    return Path(value).expanduser() if value else Path(platformdirs.user_data_dir(APP_NAME))


def store_location(option: str | None = None) -> str | None:
    """Where cycles are stored: --store, else LANGKAH_STORE (a postgresql:// URL or a folder),
    else None: the embedded store in the data directory."""
    value = (option or os.environ.get("LANGKAH_STORE") or "").strip()
    return value or None


def user_definitions_dir(option: str | None = None) -> Path:
    """User SOP definitions: --defs-dir, else LANGKAH_DEFS_DIR, else <user-data>/definitions."""
    value = option or os.environ.get("LANGKAH_DEFS_DIR")
    if value:
        return Path(value).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME)) / "definitions"


def language(option: str | None = None) -> str:
    value = (option or os.environ.get("LANGKAH_LANG") or "id").lower()
    return "en" if value.startswith("en") else "id"


class FixedOrSystemClock:
    """The clock handed to the engine: LANGKAH_NOW (ISO-8601) if set, else the system clock."""

    def __init__(self, fixed: dt.datetime | None = None):
        self.fixed = fixed

    @classmethod
    def from_environment(cls) -> FixedOrSystemClock:
        value = os.environ.get("LANGKAH_NOW")
        if not value:
            return cls()
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(f"LANGKAH_NOW='{value}' is not an ISO-8601 date-time") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        try:
            return cls(moment.astimezone(dt.UTC))
        except OverflowError:
            raise ValueError(
                f"LANGKAH_NOW='{value}' is outside the dates Langkah can count "
                "(2000-01-01 to the year after the last holiday-data year; for later years "
                "upgrade the holidays package or add hari_libur.toml, docs/holidays.md)"
            ) from None

    def now(self) -> dt.datetime:
        return self.fixed or dt.datetime.now(dt.UTC)
