"""Packaging: one import root, and every package folder is shipped under it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def test_every_package_folder_is_listed_under_the_langkah_root():
    config = _config()
    listed = set(config["packages"])
    assert all(name == "langkah" or name.startswith("langkah.") for name in listed)
    found = set()
    for name, folder in config["package-dir"].items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            relative = init.parent.relative_to(base).parts
            if any(part.startswith((".", "_")) for part in relative):
                continue
            mapped = ".".join((name, *relative))
            # A sub-folder that is mapped elsewhere (langkah.engine under langkah) is its own entry.
            found.add(mapped)
        for data in base.rglob("*.toml"):  # folders of bundled definitions: shipped as packages
            relative = data.parent.relative_to(base).parts
            if relative and not any(part.startswith((".", "_")) for part in relative):
                found.add(".".join((name, *relative)))
    assert found == listed, f"missing: {sorted(found - listed)}, stale: {sorted(listed - found)}"


def test_no_generic_top_level_name_is_installed():
    config = _config()
    assert {name.split(".")[0] for name in config["packages"]} == {"langkah"}
