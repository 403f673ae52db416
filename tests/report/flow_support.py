"""A synthetic SOP for the flowchart tests: N steps over M actors with return loops."""

from __future__ import annotations

from langkah.engine.definition import SopDefinition
from langkah.engine.loader import parse_definition

ACTOR_TITLES = (
    "Camat",
    "Sekretaris Kecamatan",
    "Kasubbag Program dan Keuangan",
    "Staf Sub Bagian Program dan Keuangan",
    "Operator Data Kinerja",
    "Tim Akuntabilitas Kinerja Instansi Pemerintah",
    "Kepala Seksi Pemerintahan",
    "Seluruh ASN",
)


def wide_sop(
    steps: int = 20, actors: int = 8, returns: dict[int, int] | None = None
) -> SopDefinition:
    """`steps` steps cycling through `actors` actors; `returns` maps a decision step to the
    earlier step it sends work back to (default: 9 -> 4 and 18 -> 2)."""
    returns = returns if returns is not None else {9: 4, 18: 2}
    lines = [
        "format = 1",
        "[identity]",
        'government = "PEMERINTAH KABUPATEN UJI"',
        'unit = "KECAMATAN UJI"',
        'kecamatan = "Uji"',
        'name = "SOP Uji Bagan Alir"',
        "[calendar]",
        'timezone = "Asia/Jakarta"',
    ]
    for index in range(actors):
        lines += ["[[actors]]", f'id = "a{index}"', f'title = "{ACTOR_TITLES[index]}"']
    for number in range(1, steps + 1):
        owner = f"a{(number - 1) % actors}"
        symbol = "terminator" if number in (1, steps) else "process"
        if number in returns:
            symbol = "decision"
        lines += [
            "[[steps]]",
            f"number = {number}",
            f'activity = "Langkah {number}: pelaksana menyiapkan, memeriksa dan menyampaikan '
            f'dokumen hasil pengukuran kinerja sesuai arahan pimpinan"',
            f'actors = ["{owner}"]',
            f'symbol = "{symbol}"',
            'time = "30 menit"',
            f'output = "Dokumen hasil langkah {number}"',
        ]
        if number in returns:
            lines += [
                "[steps.decision]",
                f'question = "Apakah dokumen langkah {number} disetujui?"',
                'yes_label = "setuju"',
                'no_label = "tidak setuju"',
                f"no = {returns[number]}",
            ]
    return parse_definition("\n".join(lines) + "\n", "<wide>", "uji/wide").definition
