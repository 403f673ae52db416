"""A real `langkah` process killed (SIGKILL) while a note is being typed: reopened, the note
dialog comes back with the text in it. Driven through tmux, as a clerk's terminal would be;
the kill waits for the dialog's own acknowledgement that the draft was kept, not for a time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from langkah.service import Langkah

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

TEXT = "Camat minta rapat diundur ke Kamis"
PATIENCE = 120.0  # seconds before giving up on a screen that never comes (not a speed check)


class Terminal:
    """One tmux session running the app; `wait_for` polls what the screen shows. Each on a
    tmux server of its own (`-S`, its socket beside the data folder): when the app is killed
    its session ends and a shared server exits, and a new session asked of that server
    meanwhile fails ("server exited unexpectedly")."""

    def __init__(self, data_dir: Path):
        self.name = f"langkah-crash-{uuid.uuid4().hex[:8]}"
        self.tmux = ["tmux", "-S", str(data_dir.parent / f"{self.name}.sock")]
        app = Path(sys.executable).with_name("langkah")
        env = f"LANGKAH_DATA_DIR={data_dir}"
        subprocess.run(
            [
                *self.tmux,
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                "100",
                "-y",
                "30",
                f"exec env {env} {app}",
            ],
            check=True,
        )
        # the size asked for, whatever another tmux client or server option would make it
        for command in (
            ["set-option", "-t", self.name, "window-size", "manual"],
            ["resize-window", "-t", self.name, "-x", "100", "-y", "30"],
        ):
            subprocess.run([*self.tmux, *command], check=False, capture_output=True)

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name],
            capture_output=True,
            text=True,
            check=False,
        ).stdout

    def wait_for(self, text: str) -> str:
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str, literal: bool = False) -> None:
        command = [*self.tmux, "send-keys", "-t", self.name] + (["-l"] if literal else [])
        subprocess.run(command + list(keys), check=True)

    def kill_app(self) -> None:
        pid = subprocess.run(
            [*self.tmux, "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[0]
        os.kill(int(pid), signal.SIGKILL)

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], check=False, capture_output=True)


def test_a_note_typed_when_the_app_is_killed_is_there_on_reopening(tmp_path):
    data = tmp_path / "data"
    service = Langkah.open(data, tmp_path / "defs")
    cycle_id = service.start("dawarblandong", "2026-T4").state.cycle_id
    service.save_profile("Budi Santoso")  # not a first run: no profile prompt
    terminal = Terminal(data)
    try:
        terminal.wait_for("Dawarblandong")
        terminal.keys("Enter")  # the only cycle: open it
        # the run screen's own footer (its header may be scrolled off when the pane is short:
        # the focused field is scrolled into view, and the deadline's text length varies with
        # the time of day)
        terminal.wait_for("f7 Catatan")
        terminal.keys("F7")  # the note, from the focused Nota Dinas field
        terminal.wait_for("Catatan untuk langkah 1")
        terminal.keys(TEXT, literal=True)
        terminal.wait_for("draf tersimpan")
        terminal.kill_app()
    finally:
        terminal.close()
    assert service.text_drafts(cycle_id)["note"]["text"] == TEXT
    assert not service.open_cycle(cycle_id).state.visits[-1].notes

    terminal = Terminal(data)
    try:
        terminal.wait_for("Dawarblandong")
        terminal.keys("Enter")
        shown = terminal.wait_for("Catatan untuk langkah 1")
        assert TEXT in shown
        terminal.keys("Enter")  # send it
        terminal.wait_for("Catatan disimpan")
    finally:
        terminal.close()
    assert [n.text for n in service.open_cycle(cycle_id).state.visits[-1].notes] == [TEXT]
    assert "note" not in service.text_drafts(cycle_id)
