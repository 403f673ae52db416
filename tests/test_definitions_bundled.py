"""The bundled SOP definitions: all valid, and each says what its seed says."""

from __future__ import annotations

import pytest

from langkah.catalog import bundled_dir, find_definitions, load_definition
from langkah.engine.definition import Symbol
from langkah.engine.standard_time import StandardKind

DEADLINE = "Paling Lambat Tanggal 5 triwulan Berikutnya"

EXPECTED = {
    "kalipare/pengukuran-kinerja": {
        "kecamatan": "Kalipare",
        "timezone": "Asia/Jakarta",
        "actors": ["Sekretaris", "Tim Akuntabilitas Kinerja", "Kasubag Evapor"],
        "times": ["15 Menit", "30 menit", "1 Jam", "15 Menit", "15 Menit", "5 Menit"],
        "kinds": [("duration", m) for m in (15, 30, 60, 15, 15, 5)],
    },
    "mentebah/pengukuran-kinerja": {
        "kecamatan": "Mentebah",
        "timezone": "Asia/Pontianak",
        "actors": [
            "Kasubbag Program dan Keuangan",
            "Staf Sub Bagian Program dan Keuangan",
            "Operator Data Kinerja",
            "Camat",
        ],
        "times": ["30 menit", DEADLINE, "1 Hari", "1 Hari", "1 Hari", "2 Hari", "", "30 menit"],
        "kinds": [
            ("duration", 30),
            ("deadline", 5),
            ("workdays", 1),
            ("workdays", 1),
            ("workdays", 1),
            ("workdays", 2),
            ("none", 0),
            ("duration", 30),
        ],
    },
    "dawarblandong/pengukuran-data-kinerja": {
        "kecamatan": "Dawarblandong",
        "timezone": "Asia/Jakarta",
        "actors": ["Camat", "Sekcam", "Tim SAKIP", "Seluruh ASN"],
        "times": [
            "5 menit",
            "60 menit",
            "120 menit",
            "1 hari",
            "1 hari",
            "1 hari",
            "120 menit",
            "60 menit",
            "120 menit",
            "30 menit",
            "",
        ],
        "kinds": [
            ("duration", 5),
            ("duration", 60),
            ("duration", 120),
            ("workdays", 1),
            ("workdays", 1),
            ("workdays", 1),
            ("duration", 120),
            ("duration", 60),
            ("duration", 120),
            ("duration", 30),
            ("none", 0),
        ],
    },
}


def _load(sop_id: str):
    return load_definition(bundled_dir() / f"{sop_id}.toml", sop_id)


def test_exactly_the_three_seeds_are_bundled():
    entries = find_definitions(None)
    assert sorted(e.sop_id for e in entries) == sorted(EXPECTED)
    assert {e.origin for e in entries} == {"bundled"}


@pytest.mark.parametrize("sop_id", sorted(EXPECTED))
def test_matches_seed(sop_id):
    expected = EXPECTED[sop_id]
    loaded = _load(sop_id)
    d = loaded.definition
    assert loaded.sop_id == sop_id
    assert d.identity.kecamatan == expected["kecamatan"]
    assert d.calendar.timezone == expected["timezone"]
    assert [a.title for a in d.actors] == expected["actors"]
    assert len(d.steps) == len(expected["times"])
    assert [s.number for s in d.steps] == list(range(1, len(d.steps) + 1))
    assert [s.time for s in d.steps] == expected["times"]
    kinds = []
    for step in d.steps:
        st = step.standard
        amount = {
            StandardKind.DURATION: st.minutes,
            StandardKind.WORKDAYS: st.days,
            StandardKind.DEADLINE: st.deadline_day,
            StandardKind.NONE: 0,
        }[st.kind]
        kinds.append((st.kind.value, amount))
    assert kinds == expected["kinds"]
    # every step says what it does, what it needs and what it produces
    for step in d.steps:
        assert step.activity and step.output and step.inputs
    assert d.steps[0].symbol == Symbol.TERMINATOR


def test_step_counts():
    assert {k: len(_load(k).definition.steps) for k in EXPECTED} == {
        "kalipare/pengukuran-kinerja": 6,
        "mentebah/pengukuran-kinerja": 8,
        "dawarblandong/pengukuran-data-kinerja": 11,
    }


def test_kalipare_actors_per_step():
    d = _load("kalipare/pengukuran-kinerja").definition
    assert [s.actors for s in d.steps] == [
        ("tim",),
        ("tim", "sekretaris"),
        ("tim",),
        ("tim", "sekretaris"),
        ("kasubag_evapor",),
        ("kasubag_evapor",),
    ]
    assert d.identity.number == "070 / / 35.07.11/2019"
    assert d.steps[-1].symbol == Symbol.TERMINATOR
    assert not any(s.decision for s in d.steps)


def test_dawarblandong_decision():
    d = _load("dawarblandong/pengukuran-data-kinerja").definition
    step = d.step(9)
    assert step.symbol == Symbol.DECISION
    assert d.successors(9) == {"yes": 10, "no": 7}
    assert d.step(11).actors == ()
    assert d.successors(11) == {"next": None}


def test_mentebah_decision_and_missing_values():
    d = _load("mentebah/pengukuran-kinerja").definition
    step = d.step(7)
    assert step.symbol == Symbol.DECISION
    assert step.actors == ("camat",)
    assert step.time == ""
    assert d.successors(7) == {"yes": 8, "no": 6}
    assert [s.number for s in d.steps if s.decision] == [7]
    # nothing of the identity's number, dates or signatory survives in the scan
    assert d.identity.number == ""
    assert d.identity.created is d.identity.effective is d.identity.approved_by is None
    assert d.steps[-1].symbol == Symbol.TERMINATOR


def test_mentebah_keeps_raw_ocr_readings_in_comments():
    text = (bundled_dir() / "mentebah" / "pengukuran-kinerja.toml").read_text(encoding="utf-8")
    for raw in ("1 Har", "30 memit", "Tanggal §", "S0t"):
        assert raw in text


# Every identity field as its seed gives it (shared/seeds/<file>, cited per SOP). A field the
# seed does not give is empty / None; the only departures are noted: Mentebah's scan keeps no
# kop (government and unit come from DOMAIN.md), Dawarblandong's "Disahkan oleh" cell has no
# jabatan (the SOP is the Camat's), and Kalipare's "S'Pd" is the extraction's "S.Pd".
SEED_IDENTITY = {
    "kalipare/pengukuran-kinerja": {  # 001_4bf4b096b5fa3e8d.txt
        "government": "PEMERINTAH KABUPATEN MALANG",
        "unit": "KANTOR KECAMATAN KALIPARE",
        "address": "",
        "sub_unit": "",  # the seed has no sub-unit line ("SUB BAGIAN ..." is Mentebah's)
        "number": "070 / / 35.07.11/2019",
        "name": "Pengukuran Kinerja",
        "dates": ("2016-01-01", "2019-08-01", "2019-08-01"),
        "approved_by": ("CAMAT KALIPARE", "NEPO MARIS, S.Pd, MM", "PEMBINA", "196311161990102002"),
    },
    "mentebah/pengukuran-kinerja": {  # 002_94d5f0bae402bd2b.txt
        "government": "PEMERINTAH KABUPATEN KAPUAS HULU",
        "unit": "KECAMATAN MENTEBAH",
        "address": "",
        "sub_unit": "SUB BAGIAN PROGRAM DAN KEUANGAN",  # the seed's first line
        "number": "",
        "name": "Pengukuran Kinerja",
        "dates": (None, None, None),
        "approved_by": None,
    },
    "dawarblandong/pengukuran-data-kinerja": {  # 004_be29492c3f45381a.txt
        "government": "PEMERINTAH KABUPATEN MOJOKERTO",
        "unit": "KECAMATAN DAWARBLANDONG",
        "address": "Jl. Mayjen Sungkono No. 61 Dawarblandong 61354",
        "sub_unit": "SUB BAGIAN PENYUSUNAN PROGRAM DAN KEUANGAN",
        "number": "065 / 112 / 416-317 / 2023",
        "name": "Pengukuran Data Kinerja",
        "dates": ("2023-10-05", None, "2023-10-05"),
        "approved_by": (
            "CAMAT DAWARBLANDONG",
            "AKHMAD TAUFIQ, S.Sos., MM.",
            "Pembina",
            "197006261990031006",
        ),
    },
}


@pytest.mark.parametrize("sop_id", sorted(SEED_IDENTITY))
def test_every_identity_field_is_the_seed_s_own(sop_id):
    expected = SEED_IDENTITY[sop_id]
    identity = _load(sop_id).definition.identity
    for field in ("government", "unit", "address", "sub_unit", "number", "name"):
        assert (getattr(identity, field) or "") == expected[field], field
    dates = tuple(
        None if day is None else str(day)
        for day in (identity.created, identity.revised, identity.effective)
    )
    assert dates == expected["dates"]
    signer = identity.approved_by
    if expected["approved_by"] is None:
        assert signer is None
    else:
        digits = "".join(ch for ch in signer.nip if ch.isdigit())
        assert (signer.position, signer.name, signer.rank, digits) == expected["approved_by"]


def test_only_mentebah_has_the_sub_bagian_program_dan_keuangan():
    """Seed 002 (Mentebah) opens with that sub-unit; Kalipare's seed has no such line."""
    owners = [
        sop_id
        for sop_id in SEED_IDENTITY
        if _load(sop_id).definition.identity.sub_unit == "SUB BAGIAN PROGRAM DAN KEUANGAN"
    ]
    assert owners == ["mentebah/pengukuran-kinerja"]
