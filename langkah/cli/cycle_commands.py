"""The cycle commands' command line: start, show, input, complete, pause/resume/cancel, note,
roles, status. Handlers live in cycle_handlers and are imported only when a command runs, so
`langkah` (the app) and `langkah validate` do not pay for them.
"""

from __future__ import annotations

import argparse

from langkah.cli.common import lazy

HANDLERS = "langkah.cli.cycle_handlers"

# The `input` command's epilog, in both languages (langkah/cli/help_id.py shows the "id" one)
INPUT_FORMATS = {
    "en": """\
value formats for `input` (KEY=VALUE; an empty VALUE clears the item):
  check     ya / tidak (also: y, yes, true, 1, ada, sudah / t, no, false, 0, belum)
  text      any text
  number    12, 12.5, 12,5 or 1.234,5
  date      2026-10-05 or 5/10/2026 or 05-10-2026 (years 2000-2099)
  document  NOMOR;TANGGAL, e.g. "005/123/416-317/2026;2026-10-01"
  choice    one of the item's choices (case does not matter)
""",
    "id": """\
bentuk nilai untuk `input` (KUNCI=NILAI; NILAI kosong menghapus isiannya):
  check     ya / tidak (juga: y, yes, true, 1, ada, sudah / t, no, false, 0, belum)
  text      teks apa saja
  number    12, 12.5, 12,5 atau 1.234,5
  date      2026-10-05 atau 5/10/2026 atau 05-10-2026 (tahun 2000-2099)
  document  NOMOR;TANGGAL, mis. "005/123/416-317/2026;2026-10-01"
  choice    salah satu pilihan isian itu (huruf besar/kecil tidak berpengaruh)
""",
}


ACTION_HELP = {
    "en": """\
exactly once: every action has an action id (--action-id, else a fresh one, printed). Sending
the same action again with the same id is acknowledged as already recorded (exit 0) and never
applied twice. --expect-step / --expect-version refuse the action (exit 1, saying where the
cycle is now) unless the cycle is at that step / has that many events.
""",
    "id": """\
tepat sekali: setiap tindakan punya id tindakan (--action-id, atau id baru yang dicetak).
Tindakan yang sama yang dikirim lagi dengan id yang sama diakui sudah tercatat (keluar 0) dan
tidak pernah diterapkan dua kali. --expect-step / --expect-version menolak tindakan itu (keluar
1, menyebut posisi siklus sekarang) kecuali siklus ada di langkah itu / punya sekian peristiwa.
""",
}


def answer_help(lang: str = "en") -> str:
    """--answer's help, from the one table of answer words (engine/vocabulary.py)."""
    from langkah.engine.vocabulary import ANSWERS

    yes = ", ".join(word for word, meaning in ANSWERS.items() if meaning)
    no = ", ".join(word for word, meaning in ANSWERS.items() if not meaning)
    if lang == "id":
        return (
            f"untuk langkah keputusan: kata keputusan itu sendiri (ditampilkan `show`), atau "
            f"{yes} (ya); {no} (tidak); kutip dua kata: --answer 'tidak setuju'"
        )
    return (
        f"for a decision step: the decision's own words (shown by `show`), or {yes} (yes); "
        f"{no} (no); quote two words: --answer 'tidak setuju'"
    )


def _action_options(p: argparse.ArgumentParser, on_cycle: bool = True) -> None:
    """The options every mutating command takes (docs/cli-json.md, "Exactly-once actions")."""
    p.add_argument(
        "--action-id",
        metavar="ID",
        help="this action's id (default: a fresh one); resend with the same id to retry safely",
    )
    if on_cycle:
        p.add_argument(
            "--expect-step", type=int, metavar="N", help="refuse unless the current step is N"
        )
        p.add_argument(
            "--expect-version",
            type=int,
            metavar="V",
            help="refuse unless the cycle's log has V events (see show --json: version)",
        )
    p.add_argument("--json", action="store_true", help="machine-readable (docs/cli-json.md)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("start", help="start a cycle: prints its id")
    p.add_argument("sop", help="SOP id or kecamatan (langkah sops lists them)")
    p.add_argument("--period", required=True, help="2026-T3 (triwulan), 2026-S1 (semester), 2026")
    p.add_argument(
        "--role",
        action="append",
        metavar='ROLE="NAMA;NIP;PANGKAT"',
        help="who fills an actor role (repeatable)",
    )
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="start even if this SOP and period already have a cycle (not cancelled)",
    )
    _action_options(p, on_cycle=False)
    p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_start"))

    p = sub.add_parser("show", help="a cycle: current step, inputs, time, history")
    p.add_argument("cycle", help="cycle id (or a unique prefix)")
    p.add_argument("--json", action="store_true", help="machine-readable (docs/cli-json.md)")
    p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_show"))

    p = sub.add_parser(
        "input",
        help="record inputs of the current step",
        epilog=INPUT_FORMATS["en"] + "\n" + ACTION_HELP["en"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("cycle")
    p.add_argument("values", nargs="+", metavar="KEY=VALUE")
    _action_options(p)
    p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_input"))

    p = sub.add_parser("complete", help="complete the current step or answer its decision")
    p.add_argument("cycle")
    p.add_argument(
        "--answer",
        metavar="WORD",
        help=answer_help(),
    )
    p.add_argument("--reason", help="why (required for a negative answer)")
    _action_options(p)
    p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_complete"))

    for name, text in (
        ("pause", "pause the cycle (e.g. waiting for a document)"),
        ("resume", "resume a paused cycle"),
        ("cancel", "cancel the cycle"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("cycle")
        p.add_argument("--reason", required=True)
        _action_options(p)
        p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_{name}"))

    p = sub.add_parser("note", help="add a note to the current step (or --step N)")
    p.add_argument("cycle")
    p.add_argument("text", nargs="+")
    p.add_argument("--step", type=int, help="another step of the SOP")
    _action_options(p)
    p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_note"))

    p = sub.add_parser(
        "roles", help="set who fills actor roles and the signers (kepala, penanggung_jawab)"
    )
    p.add_argument("cycle")
    p.add_argument("assignments", nargs="*", metavar='ROLE="NAMA;NIP;PANGKAT"')
    p.add_argument("--role", action="append", metavar='ROLE="NAMA;NIP;PANGKAT"')
    _action_options(p)
    p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_roles"))

    p = sub.add_parser("status", help="every cycle, most urgent first")
    p.add_argument("--json", action="store_true", help="machine-readable (docs/cli-json.md)")
    p.add_argument("--kecamatan", help="only this kecamatan")
    p.add_argument("--period", help="only this period (2026-T3)")
    p.add_argument("--overdue", action="store_true", help="only overdue cycles")
    p.add_argument("--open", action="store_true", help="only cycles not finished or cancelled")
    p.add_argument("--all", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--limit", type=_count, metavar="N", help="only the first N rows (and the total)"
    )
    p.add_argument("--offset", type=_count, default=0, metavar="M", help="skip the first M rows")
    p.set_defaults(handler=lazy(f"{HANDLERS}:cmd_status"))


def _count(text: str) -> int:
    """A whole number of rows, 0 or more (argparse names the option when it is not)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value
