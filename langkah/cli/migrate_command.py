"""`langkah migrate --to TARGET`: copy every cycle, pinned definition and draft from the store in
use (--store, else LANGKAH_STORE, else the data folder) to another: a postgresql:// URL or a
data folder, either way round. Safe to run again (only what is missing is copied) and to kill
(each cycle is copied whole or not at all). See langkah.store.transfer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from langkah import settings
from langkah.cli.common import CliError, language
from langkah.display import visible
from langkah.messages import Text, say, told


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "migrate",
        help="copy every cycle to another store (PostgreSQL or a data folder)",
        description=(
            "Copy every cycle, with its pinned definition and draft, from the store in use "
            "(--store, LANGKAH_STORE, else the data folder) to TARGET: a postgresql:// URL or "
            "a data folder. Each log is checked against its hash chain before and after it is "
            "copied; cycles the target already holds with the same log are skipped, with a "
            "different log refused (exit 1). Run it again after an interruption: only what is "
            "missing is copied. The source is only read."
        ),
    )
    parser.add_argument(
        "--to", required=True, metavar="TARGET", help="a postgresql:// URL or a data folder"
    )
    parser.set_defaults(handler=cmd_migrate)


def _close(store: Any) -> None:
    close = getattr(store, "close", None)
    if callable(close):
        close()


def cmd_migrate(args: argparse.Namespace) -> int:
    from langkah.store import StoreError
    from langkah.store.factory import open_store
    from langkah.store.transfer import Migration

    lang = language(args)
    data_dir = settings.data_dir(args.data_dir)
    source_location = settings.store_location(getattr(args, "store", None))
    target_location = args.to.strip()
    if not target_location:
        raise CliError(say("cli.migrate_to"), status=2)
    try:
        source = open_store(source_location, data_dir)
    except StoreError as error:
        raise CliError(say("cli.migrate_source", problem=told(error))) from None
    try:
        try:
            target = open_store(target_location, Path(target_location).expanduser())
        except StoreError as error:
            raise CliError(say("cli.migrate_target", problem=told(error))) from None
        try:
            if target.location == source.location:
                raise CliError(say("cli.migrate_same", location=target.location), status=2)
            where = say("migrate.from_to", source=source.location, target=target.location)
            print(visible(where.message(lang)), flush=True)

            def tell(line: Text) -> None:
                stream = sys.stderr if line.key == "migrate.refused" else sys.stdout
                print(visible(line.message(lang), one_line=True), file=stream, flush=True)

            try:
                report = Migration(source, target, tell).run()
            except StoreError as error:
                raise CliError(say("cli.migrate_failed", problem=told(error))) from None
        finally:
            _close(target)
    finally:
        _close(source)
    if report.total == 0:
        print(say("migrate.empty").message(lang))
    else:
        done = say(
            "migrate.done",
            counts=report.line(),
            definitions=report.definitions,
            drafts=report.drafts,
        )
        print(visible(done.message(lang), one_line=True))
    if report.refused:
        refused = say("migrate.some_refused", count=len(report.refused))
        print(refused.message(lang), file=sys.stderr)
        return 1
    return 0
