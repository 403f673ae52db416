"""The CLI's refusals speak the chosen language: Bahasa Indonesia by default, English with
--lang en; every message has both texts, and no CliError is raised with English text only."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from langkah.cli.common import CliError, relay
from langkah.messages import FRAMES, MESSAGES, Text, say, told
from tests.cli_support import Cli

CLI_DIR = Path(__file__).resolve().parent.parent / "langkah" / "cli"
LANGKAH_DIR = CLI_DIR.parent

# Modules whose CliErrors still carry English text only. stats_command.py belongs to another
# piece of work in progress; move its messages to langkah/messages.py and empty this set.
NOT_YET_MOVED: set[str] = set()


@pytest.fixture
def cli(capsys, monkeypatch):
    monkeypatch.delenv("LANGKAH_LANG", raising=False)
    return Cli(capsys, monkeypatch)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key):
    indonesian, english = MESSAGES[key]
    assert indonesian.strip() and english.strip()
    assert _fields(indonesian) == _fields(english)
    if key in FRAMES:  # these only frame what they are given: no word of their own
        assert indonesian == english and not re.search(r"[A-Za-z]", _outside_fields(english))
    else:
        assert indonesian != english, f"{key}: the Indonesian text is the English one"


def _outside_fields(template: str) -> str:
    return "".join(literal for literal, _, _, _ in string.Formatter().parse(template))


def _cli_error_calls(path: Path) -> list[ast.Call]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "CliError"
    ]


def _is_text(argument: ast.expr) -> bool:
    """A Text made here (say(...)), or what an error says (told(...)), or a name holding one."""
    if isinstance(argument, ast.Call) and isinstance(argument.func, ast.Name):
        return argument.func.id in ("say", "told")
    return isinstance(argument, ast.Name)


def test_no_cli_error_is_raised_without_an_indonesian_text():
    plain = []
    for path in sorted(CLI_DIR.glob("*.py")):
        if path.name in NOT_YET_MOVED:
            continue
        for call in _cli_error_calls(path):
            if not call.args or not _is_text(call.args[0]):
                plain.append(f"{path.name}:{call.lineno}")
    assert plain == [], "CliError with English text only (use say(...)): " + ", ".join(plain)


def test_the_modules_not_yet_moved_still_exist():
    """NOT_YET_MOVED is not an excuse kept forever: a name in it must still be a module."""
    for name in NOT_YET_MOVED:
        assert (CLI_DIR / name).is_file(), f"{name} is gone: remove it from NOT_YET_MOVED"


def _said_keys() -> list[tuple[str, int, str]]:
    found = []
    for path in sorted([*LANGKAH_DIR.rglob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "say"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((path.name, node.lineno, node.args[0].value))
    return found


def test_every_key_said_is_in_the_table():
    keys = _said_keys()
    assert len(keys) > 40  # the scan sees the code
    assert [k for k in keys if k[2] not in MESSAGES] == []


def test_a_text_renders_nested_texts_and_errors_in_its_language():
    from langkah.engine.period import Period

    with pytest.raises(ValueError) as caught:
        Period.parse("2026-T9")
    text = say("cli.option", option="--period", problem=told(caught.value))
    assert text.message("id").startswith("--period: '2026-T9' bukan periode")
    assert text.message("en").startswith("--period: '2026-T9' is not a period")
    assert str(text) == text.message("en")
    with pytest.raises(KeyError):
        Text("no.such.key")


def test_an_error_without_a_text_is_relayed_as_given():
    error = relay(OSError("disk on fire"))
    assert error.message("id") == error.message("en") == "disk on fire"
    assert CliError(say("cli.migrate_to")).message("id").startswith("--to memerlukan")


@pytest.mark.parametrize(
    ("args", "status", "indonesian", "english"),
    [
        (["show", "nope"], 1, "tidak ada siklus 'nope'", "no cycle 'nope'"),
        (["show", "ab"], 1, "awalan id minimal 4 karakter", "a prefix needs at least 4"),
        (
            ["start", "nosuch", "--period", "2026-T1"],
            1,
            "tidak ada SOP 'nosuch'; SOP yang ada: ",
            "no SOP 'nosuch'; known SOPs: ",
        ),
        (
            ["start", "kalipare", "--period", "2026-T9"],
            1,
            "'2026-T9' bukan periode: triwulan bernomor 1 sampai 4",
            "'2026-T9' is not a period: a triwulan is numbered 1 to 4",
        ),
        (
            ["start", "kalipare", "--period", "2026-T1", "--role", "kepala"],
            1,
            "--role 'kepala': tulis PERAN=",
            "--role 'kepala': write ROLE=",
        ),
        (["roles", "abcd"], 1, "beri paling sedikit satu PERAN=", "give at least one ROLE="),
        (
            ["complete", "abcd", "--answer", "maybe"],
            1,
            "--answer 'maybe' tidak dikenal",
            "--answer 'maybe' is not an answer",
        ),
        (
            ["complete", "abcd", "--action-id", "a b"],
            2,
            "--action-id: id aksi 'a b' berisi spasi",
            "--action-id: action id 'a b' has blanks",
        ),
        (["verify", "--code", "1"], 2, "--code memeriksa satu siklus", "--code checks one cycle"),
        (["show-sop", "kalipare", "--width", "3"], 1, "paling sedikit", "at least"),
    ],
)
def test_refusals_speak_the_chosen_language(cli, args, status, indonesian, english):
    said_id = cli(*args, status=status)
    said_en = cli("--lang", "en", *args, status=status)
    for said, wanted in ((said_id, indonesian), (said_en, english)):
        assert said.startswith("langkah: ") and said.count("\n") == 1
        assert wanted in said
    assert english not in said_id and indonesian not in said_en


def test_langkah_lang_chooses_the_language_without_lang(cli, monkeypatch):
    monkeypatch.setenv("LANGKAH_LANG", "en")
    assert "no cycle 'nope'" in cli("show", "nope", status=1)


def test_report_and_recap_refusals_carry_both_languages(tmp_path):
    from langkah.report.options import ReportError
    from langkah.report.xlsx_recap import RecapError

    path = tmp_path / "rekap.xlsx"
    for error in (
        ReportError(say("file.exists", path=path), path),
        RecapError(say("file.exists", path=path)),
    ):
        said = relay(error)
        assert (
            said.message("id")
            == f"{path} sudah ada; tambahkan --force untuk menimpanya, atau pilih nama lain"
        )
        assert (
            said.message("en")
            == str(error)
            == f"{path} already exists; add --force to replace it, or choose another name"
        )


@pytest.mark.parametrize(
    ("args", "indonesian", "english"),
    [
        (["show"], "kesalahan: argumen ini wajib diberikan: cycle", "error: the following"),
        (["show", "a", "b"], "kesalahan: argumen tidak dikenal: b", "unrecognized arguments: b"),
        (["frob"], "argumen COMMAND: pilihan 'frob' tidak ada", "invalid choice: 'frob'"),
        (["complete", "a", "--action-id"], "--action-id: perlu satu nilai", "expected one"),
        (["status", "--limit", "x"], "'x' bukan bilangan bulat", "not a whole number"),
    ],
)
def test_argparse_usage_errors_speak_the_chosen_language(cli, args, indonesian, english):
    said_id = cli(*args, status=2)
    said_en = cli("--lang", "en", *args, status=2)
    assert said_id.startswith("penggunaan: ") and indonesian in said_id
    assert english not in said_id
    assert said_en.startswith("usage: ") and english in said_en and "kesalahan" not in said_en


def test_an_argparse_error_not_in_the_table_is_shown_as_argparse_wrote_it():
    from langkah.cli.usage_errors import usage_error

    assert usage_error("something new", "id") == "kesalahan: something new"
    assert usage_error("something new", "en") == "error: something new"


def test_undecodable_arguments_are_refused_in_the_chosen_language(cli):
    bad = b"caf\xe9".decode("utf-8", "surrogateescape")
    assert "bukan teks UTF-8 yang sah" in cli("show", bad, status=2)
    assert "is not valid UTF-8 text" in cli("--lang", "en", "show", bad, status=2)


def test_a_missing_command_is_named_in_the_chosen_language(cli):
    assert "di sini perlu PERINTAH" in cli("--data-dir", "x", status=2)
    assert "a COMMAND is needed here" in cli("--lang", "en", "--data-dir", "x", status=2)


def test_a_bad_holiday_override_file_is_named_in_the_chosen_language(cli, tmp_path):
    """hari_libur.toml's refusals reach the command line as one line, file and line first,
    in the chosen language, with no traceback (the Cli helper checks that)."""
    data = tmp_path / "data"
    data.mkdir()
    path = data / "hari_libur.toml"
    path.write_text('[tambah]\n2026-12-31 = "Cuti"\n2026-13-01 = "Bad"\n', encoding="utf-8")
    said_id = cli("--data-dir", str(data), "status", status=1)
    said_en = cli("--lang", "en", "--data-dir", str(data), "status", status=1)
    assert (
        said_id == f"langkah: {path}:3: '2026-13-01' bukan tanggal: tulis YYYY-MM-DD = \"nama\"\n"
    )
    assert (
        said_en == f"langkah: {path}:3: '2026-13-01' is not a date: write YYYY-MM-DD = \"name\"\n"
    )
    path.write_text("[tambah]\n2026-12-31 = 5\n", encoding="utf-8")
    said_id = cli("--data-dir", str(data), "start", "kalipare", "--period", "2026-T1", status=1)
    assert said_id.startswith(f"langkah: {path}:2: nama untuk 2026-12-31 harus teks")
