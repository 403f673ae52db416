"""argparse's own usage errors in Bahasa Indonesia: the common ones, matched on the English text
argparse formats (its messages are fixed strings of the standard library). An error that is
not in the table is shown as argparse wrote it."""

from __future__ import annotations

import re

# (what argparse writes, the Indonesian for it: {1}, {2}, ... are the matched groups)
USAGE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), indonesian)
    for pattern, indonesian in (
        (r"unrecognized arguments: (.*)", "argumen tidak dikenal: {1}"),
        (r"the following arguments are required: (.*)", "argumen ini wajib diberikan: {1}"),
        (
            r"argument (.+?): invalid choice: (.*) \(choose from (.*)\)",
            "argumen {1}: pilihan {2} tidak ada (pilih salah satu dari {3})",
        ),
        (r"argument (.+?): expected one argument", "argumen {1}: perlu satu nilai"),
        (
            r"argument (.+?): expected at least one argument",
            "argumen {1}: perlu paling sedikit satu nilai",
        ),
        (r"argument (.+?): invalid int value: (.*)", "argumen {1}: {2} bukan bilangan bulat"),
        (r"argument (.+?): invalid float value: (.*)", "argumen {1}: {2} bukan angka"),
        (r"argument (.+?): invalid (\w+) value: (.*)", "argumen {1}: nilai {3} tidak sah"),
        (r"argument (.+?): ignored explicit argument (.*)", "argumen {1}: nilai {2} tidak dipakai"),
        (
            r"argument (.+?): not allowed with argument (.*)",
            "argumen {1}: tidak boleh bersama argumen {2}",
        ),
        (
            r"ambiguous option: (\S+) could match (.*)",
            "opsi {1} ambigu: bisa berarti {2}",
        ),
        (r"argument (.+?): not a whole number: (.*)", "argumen {1}: {2} bukan bilangan bulat"),
        (
            r"argument (.+?): must be 0 or more, not (.*)",
            "argumen {1}: harus 0 atau lebih, bukan {2}",
        ),
    )
)


def usage_error(message: str, lang: str) -> str:
    """argparse's `message` in `lang` ("error: ..." framing included): English as it is."""
    if lang == "en":
        return f"error: {message}"
    for pattern, indonesian in USAGE_ERRORS:
        match = pattern.fullmatch(message)
        if match:
            return "kesalahan: " + indonesian.format(None, *match.groups())
    return f"kesalahan: {message}"
