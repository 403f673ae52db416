"""What the app remembers between sessions (the chosen SOP variant and the language).

Stored as `preferences.json` in the data directory, written atomically; a damaged or missing
file simply means no preferences. An adapter beside the store: the interfaces read and write
preferences through this module, never through the store's own helpers. Imported before the
app's first screen, which is why `json` is imported only when there is a file to read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from langkah.cache_files import read_cache_file

FILE_NAME = "preferences.json"


@dataclass
class Preferences:
    """The remembered choices; `None` means "not chosen yet"."""

    variant: str | None = None
    lang: str | None = None

    @classmethod
    def load(cls, data_dir: Path) -> Preferences:
        text = read_cache_file(Path(data_dir) / FILE_NAME)
        if not text:  # none saved yet (the first start): json is not even imported
            return cls()
        import json

        try:
            data = json.loads(text)
        except ValueError:
            return cls()
        if not isinstance(data, dict):
            return cls()
        variant = data.get("variant")
        lang = data.get("lang")
        return cls(
            variant=variant if isinstance(variant, str) else None,
            lang=lang if lang in ("id", "en") else None,
        )

    def save(self, data_dir: Path) -> None:
        """Write the preferences; raises OSError if the data directory cannot be written."""
        import json

        from langkah.store.atomic import atomic_write

        root = Path(data_dir)
        root.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"
        atomic_write(root / FILE_NAME, text.encode("utf-8"))


PROFILE_FILE = "profile.json"


@dataclass
class Profile:
    """The person using Langkah on this machine, set once (`langkah config`, the TUI's first-run
    prompt): who records each action, and the report's author. `nip` as stored (digits, or a
    marked other identity number); `logo` the path of the kop's logo ("" for none: then the
    data folder's logo.png, if there is one)."""

    name: str = ""
    nip: str = ""
    logo: str = ""

    @classmethod
    def load(cls, data_dir: Path) -> Profile | None:
        """The saved profile, or None when none was ever saved (or it cannot be read)."""
        text = read_cache_file(Path(data_dir) / PROFILE_FILE)
        if not text:
            return None
        import json

        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        values = {key: data.get(key) for key in ("name", "nip", "logo")}
        return cls(**{k: v.strip() if isinstance(v, str) else "" for k, v in values.items()})

    def save(self, data_dir: Path) -> None:
        """Write the profile atomically; raises OSError if the data folder cannot be written."""
        import json

        from langkah.store.atomic import atomic_write

        root = Path(data_dir)
        root.mkdir(parents=True, exist_ok=True)
        text = json.dumps(asdict(self), ensure_ascii=False, indent=2) + "\n"
        atomic_write(root / PROFILE_FILE, text.encode("utf-8"))
