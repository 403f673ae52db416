"""The entry module: `langkah` alone opens the app, `langkah COMMAND` runs the CLI."""

from __future__ import annotations

import subprocess
import sys

import langkah.main
from langkah.cli.main import main as cli_main


def test_a_subcommand_runs_the_cli_and_no_subcommand_opens_the_app(monkeypatch, capsys):
    opened = []
    monkeypatch.setattr(langkah.main, "run_app", lambda args: opened.append(args) or 7)
    assert langkah.main.main(["validate"]) == 0
    assert opened == []
    assert langkah.main.main(["--demo", "--lang", "en"]) == 7
    assert opened[0].demo and opened[0].lang == "en"


def test_the_cli_alone_never_opens_the_app(capsys):
    assert cli_main([]) == 2
    assert "membuka aplikasi" in capsys.readouterr().err


def test_the_cli_does_not_load_the_tui():
    code = (
        "import sys; from langkah.cli.main import main; main(['validate']); "
        "print(sorted(m for m in sys.modules if m.startswith(('langkah.tui', 'textual'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_app_s_own_options_need_no_cli_parser():
    from langkah.main import app_arguments

    args = app_arguments(["--demo", "--lang", "en", "--data-dir=/tmp/d", "--by", "Siti"])
    assert args is not None
    assert (args.demo, args.lang, args.data_dir, args.by, args.defs_dir) == (
        True,
        "en",
        "/tmp/d",
        "Siti",
        None,
    )
    assert app_arguments([]) is not None
    for argv in (["status"], ["--help"], ["--lang", "fr"], ["--data-dir"], ["--by", "\udcff"]):
        assert app_arguments(argv) is None, argv  # the CLI parser decides (and words errors)
