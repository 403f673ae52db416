"""A writer process for the PostgreSQL fault tests (the store is LANGKAH_STORE's URL).

python -m tests.fault.pg_writer steady DATA_DIR CYCLE
    notes until killed, each with its own action id; prints "ack TOKEN VERSION" once a note
    returned, "error MESSAGE" when one failed (then sends the same action again: the
    service records an action id once)
python -m tests.fault.pg_writer stuck DATA_DIR CYCLE
    one note that stops inside its transaction, after its event row is inserted and before
    the commit (prints "stuck"), and waits there to be killed
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
import time

from langkah.service import Langkah
from langkah.store import StoreError

NOW = dt.datetime(2026, 10, 5, 2, 0, tzinfo=dt.UTC)


def steady(data_dir: str, cycle: str) -> None:
    app = Langkah.open(data_dir, data_dir + "/no-defs", clock=lambda: NOW)
    print("ready", flush=True)
    for i in itertools.count():
        token = f"p{os.getpid()}-{i}"
        while True:
            try:
                view = app.note(cycle, token, event_id=token)
                break
            except StoreError as error:
                print(f"error {error}", flush=True)
                time.sleep(0.2)
        print(f"ack {token} {view.version}", flush=True)


def stuck(data_dir: str, cycle: str) -> None:
    import psycopg
    from psycopg.pq import TransactionStatus

    IDLE = TransactionStatus.IDLE
    app = Langkah.open(data_dir, data_dir + "/no-defs", clock=lambda: NOW)
    real = psycopg.Connection.execute

    def execute_then_wait(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def]
        if "INSERT INTO events" in str(query) and self.info.transaction_status == IDLE:
            # the append under `exclusive` is one statement in autocommit (its own
            # transaction): open one around it, so that it stops before its commit too
            real(self, "BEGIN")
        cursor = real(self, query, params, **kwargs)
        if "INSERT INTO events" in str(query):
            with self.pipeline() as pipeline:  # the append's statements reach the server
                pipeline.sync()  # (their COMMIT is not sent yet)
            print("stuck", flush=True)
            time.sleep(600)  # killed here, inside the transaction
        return cursor

    psycopg.Connection.execute = execute_then_wait  # type: ignore[method-assign]
    app.note(cycle, "stuck")
    print("ack stuck", flush=True)


if __name__ == "__main__":
    mode, data, cycle_id = sys.argv[1:4]
    {"steady": steady, "stuck": stuck}[mode](data, cycle_id)
