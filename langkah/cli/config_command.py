"""`langkah config`: show or set the user profile (name, NIP) and the kop's logo.

The name records every action from then on (unless --by or LANGKAH_USER names someone) and is
the report's author; the NIP is checked like every NIP typed. Kept in <data dir>/profile.json.
"""

from __future__ import annotations

import argparse

from langkah.cli.common import CliError, language, option_error
from langkah.display import visible
from langkah.messages import os_reason, say


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "config",
        help="show or set your name, NIP and the report's logo",
        description=(
            "Without options: show the profile. Your name records each action and is the "
            "report's author; the logo (PNG or JPEG) goes in the report's kop (default: "
            "logo.png in the data folder)."
        ),
    )
    parser.add_argument("--name", help="your name as it should be printed")
    parser.add_argument("--nip", help="your NIP (18 digits) or another marked number")
    parser.add_argument("--logo", metavar="PATH", help='the kop logo image ("" for none)')
    parser.set_defaults(handler=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    from langkah.cli.cycle_handlers import open_app
    from langkah.engine.nip import NipError, printed

    lang = language(args)
    app = open_app(args)
    current = app.profile()
    if args.name is not None or args.nip is not None or args.logo is not None:
        logo = args.logo
        if logo:
            from pathlib import Path

            path = Path(logo).expanduser()
            if not path.is_file():
                key = "cli.not_a_file" if path.exists() else "cli.no_such_file"
                raise CliError(say(key, option="--logo", value=logo))
            logo = str(path.resolve())
        name = args.name if args.name is not None else (current.name if current else "")
        number = args.nip if args.nip is not None else (current.nip if current else "")
        try:
            current = app.save_profile(name, number, logo)
        except NipError as error:
            raise option_error("--nip", error, status=1) from None
        except OSError as error:
            raise CliError(say("cli.profile_not_saved", problem=os_reason(error))) from None
    defaults = app.report_defaults()
    labels = (
        ("nama", "NIP", "logo", "belum diisi", "tidak ada")
        if lang == "id"
        else ("name", "NIP", "logo", "not set", "none")
    )
    name = current.name if current and current.name else f"({labels[3]})"
    number = printed(current.nip) if current and current.nip else "-"
    logo_path = defaults["logo"]
    print(f"{labels[0]}: {visible(name, one_line=True)}")
    print(f"{labels[1]}: {visible(number, one_line=True)}")
    print(f"{labels[2]}: {visible(str(logo_path), one_line=True) if logo_path else labels[4]}")
    return 0
