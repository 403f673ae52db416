"""Working time: hours, breaks, holidays and cuti bersama, time zones, the override file."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from langkah.engine import holidays_id
from langkah.engine.calendar import WorkingCalendar
from langkah.engine.definition import DEFAULT_HOURS, CalendarSpec
from langkah.engine.holidays_id import calendar_for, indonesian_holidays
from langkah.holiday_overrides import OverrideError, load_overrides, parse_overrides

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
UTC = dt.UTC
HOLIDAYS = indonesian_holidays(range(2024, 2028))
CAL = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, HOLIDAYS)
PLAIN = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, {})


def wib(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WIB)


# --- hours and breaks -----------------------------------------------------------------------


def test_lunch_break_is_not_counted():
    # Monday 10 August 2026, 11:00-14:00: 60 before the break, 60 after
    assert CAL.working_minutes(wib(2026, 8, 10, 11), wib(2026, 8, 10, 14)) == 120


def test_friday_break_is_90_minutes():
    assert CAL.working_minutes(wib(2026, 8, 14, 11), wib(2026, 8, 14, 13, 30)) == 60
    assert CAL.day_minutes(dt.date(2026, 8, 14)) == 450
    assert CAL.day_minutes(dt.date(2026, 8, 13)) == 450
    assert CAL.add_working_minutes(wib(2026, 8, 14, 11), 30) == wib(2026, 8, 14, 11, 30)
    assert CAL.add_working_minutes(wib(2026, 8, 14, 11), 31) == wib(2026, 8, 14, 13, 1)


def test_seconds_count_as_fractions():
    start = wib(2026, 8, 10, 9)
    assert CAL.working_minutes(start, start + dt.timedelta(seconds=90)) == pytest.approx(1.5)
    assert CAL.add_working_minutes(start, 0.25) == start + dt.timedelta(seconds=15)


def test_empty_and_reversed_spans():
    start = wib(2026, 8, 10, 9)
    assert CAL.working_minutes(start, start) == 0
    assert CAL.working_minutes(start, start - dt.timedelta(hours=1)) == 0
    assert CAL.add_working_minutes(start, 0) == start
    assert CAL.add_working_minutes(start, 0).tzinfo is UTC
    for bad in (-1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            CAL.add_working_minutes(start, bad)


def test_before_opening_and_after_closing():
    monday = (2026, 8, 10)
    assert CAL.working_minutes(wib(*monday, 6), wib(*monday, 8)) == 30
    assert CAL.working_minutes(wib(*monday, 16, 30), wib(2026, 8, 11, 7, 45)) == 15
    assert CAL.working_minutes(wib(*monday, 16, 30), wib(*monday, 23, 59)) == 0
    assert CAL.add_working_minutes(wib(*monday, 5), 10) == wib(*monday, 7, 40)
    assert CAL.add_working_minutes(wib(*monday, 17), 10) == wib(2026, 8, 11, 7, 40)
    # ending exactly at closing gives closing time, not the next morning
    assert CAL.add_working_minutes(wib(*monday, 15), 60) == wib(*monday, 16)


def test_weekend_is_not_counted():
    friday_close, monday_open = wib(2026, 8, 7, 16, 30), wib(2026, 8, 10, 7, 30)
    assert CAL.working_minutes(friday_close, monday_open) == 0
    assert not CAL.is_working_day(dt.date(2026, 8, 8))
    assert CAL.day_minutes(dt.date(2026, 8, 9)) == 0
    assert CAL.working_minutes(wib(2026, 8, 10), wib(2026, 8, 17)) == 4 * 450 + 450


def test_instants_are_returned_in_utc_and_shown_locally():
    due = CAL.add_working_minutes(wib(2026, 8, 10, 9), 60)
    assert due.tzinfo is UTC and due == dt.datetime(2026, 8, 10, 3, tzinfo=UTC)
    assert CAL.local(due).hour == 10 and CAL.local(due).utcoffset() == dt.timedelta(hours=7)
    with pytest.raises(ValueError):
        CAL.working_minutes(dt.datetime(2026, 8, 10, 9), dt.datetime(2026, 8, 10, 10))


def test_next_working_start():
    assert CAL.next_working_start(wib(2026, 8, 10, 9)) == wib(2026, 8, 10, 9)
    assert CAL.next_working_start(wib(2026, 8, 10, 6)) == wib(2026, 8, 10, 7, 30)
    assert CAL.next_working_start(wib(2026, 8, 10, 12)) == wib(2026, 8, 10, 13)
    assert CAL.next_working_start(wib(2026, 8, 10, 12, 30)) == wib(2026, 8, 10, 13)
    assert CAL.next_working_start(wib(2026, 8, 10, 16)) == wib(2026, 8, 11, 7, 30)
    # Friday after closing -> Monday 17 August is a holiday -> Tuesday
    assert CAL.next_working_start(wib(2026, 8, 14, 16, 45)) == wib(2026, 8, 18, 7, 30)


def test_end_of_day_is_next_local_midnight():
    assert CAL.end_of_day(dt.date(2026, 10, 5)) == dt.datetime(2026, 10, 5, 17, tzinfo=UTC)
    makassar = WorkingCalendar("Asia/Makassar", DEFAULT_HOURS, {})
    assert makassar.end_of_day(dt.date(2026, 10, 5)) == dt.datetime(2026, 10, 5, 16, tzinfo=UTC)


# --- holidays and cuti bersama --------------------------------------------------------------


def test_library_knows_2026_days_off():
    assert HOLIDAYS[dt.date(2026, 8, 17)] == "Hari Kemerdekaan Republik Indonesia"
    assert HOLIDAYS[dt.date(2026, 2, 16)] == "Cuti Bersama Tahun Baru Imlek"
    assert HOLIDAYS[dt.date(2026, 2, 17)] == "Tahun Baru Imlek"
    assert "Cuti Bersama" in HOLIDAYS[dt.date(2026, 12, 24)]
    assert CAL.holiday_name(dt.date(2026, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert CAL.holiday_name(dt.date(2026, 8, 18)) is None


def test_one_day_before_a_long_weekend_with_cuti_bersama():
    # Friday 13 Feb 2026 15:00 WIB; Mon 16 Feb is cuti bersama Imlek, Tue 17 Feb is Imlek.
    # Friday gives 90 minutes (to 16:30); Wednesday 18 Feb gives 270 before the break and 90 after.
    start = wib(2026, 2, 13, 15)
    due = CAL.add_working_minutes(start, 450)
    assert due == dt.datetime(2026, 2, 18, 7, 30, tzinfo=UTC)
    assert CAL.local(due) == wib(2026, 2, 18, 14, 30)
    assert CAL.working_minutes(start, due) == 450
    # without the days off it would be due on Monday
    assert PLAIN.add_working_minutes(start, 450) == wib(2026, 2, 16, 14, 30)


def test_step_spanning_independence_day():
    # Friday 14 Aug 2026 15:00 -> Tuesday 18 Aug 09:00; Monday 17 Aug is a national holiday
    assert not CAL.is_working_day(dt.date(2026, 8, 17))
    assert CAL.day_minutes(dt.date(2026, 8, 17)) == 0
    assert CAL.working_minutes(wib(2026, 8, 14, 15), wib(2026, 8, 18, 9)) == 90 + 90
    assert PLAIN.working_minutes(wib(2026, 8, 14, 15), wib(2026, 8, 18, 9)) == 90 + 450 + 90


def test_idul_fitri_2025_week():
    # 31 Mar - 7 Apr 2025: Idul Fitri and cuti bersama on every working day
    start, end = wib(2025, 3, 28, 7), wib(2025, 4, 8, 7)
    assert CAL.working_minutes(start, end) == 0
    assert CAL.next_working_start(start) == wib(2025, 4, 8, 7, 30)


def test_other_zone_has_the_same_local_hours():
    wita = WorkingCalendar("Asia/Makassar", DEFAULT_HOURS, HOLIDAYS)

    def local(*args: int) -> dt.datetime:
        return dt.datetime(*args, tzinfo=WITA)

    assert wita.working_minutes(local(2026, 8, 10, 11), local(2026, 8, 10, 14)) == 120
    due = wita.add_working_minutes(local(2026, 2, 13, 15), 450)
    assert wita.local(due) == local(2026, 2, 18, 14, 30)
    assert due == dt.datetime(2026, 2, 18, 6, 30, tzinfo=UTC)  # an hour before WIB's
    # the same UTC instant is 11:00 in WIB (working) but 12:00 in WITA (break)
    instant = dt.datetime(2026, 8, 10, 4, tzinfo=UTC)
    assert CAL.working_minutes(instant, instant + dt.timedelta(minutes=30)) == 30
    assert wita.working_minutes(instant, instant + dt.timedelta(minutes=30)) == 0


def test_year_long_span_and_far_dates():
    year = CAL.working_minutes(wib(2026, 1, 1), wib(2027, 1, 1))
    working_days = sum(
        CAL.is_working_day(dt.date(2026, 1, 1) + dt.timedelta(days=i)) for i in range(365)
    )
    assert year == sum(
        CAL.day_minutes(dt.date(2026, 1, 1) + dt.timedelta(days=i)) for i in range(365)
    )
    assert 230 <= working_days <= 250
    # dates far from the first ones used extend the table both ways
    assert PLAIN.working_minutes(wib(2001, 1, 1), wib(2001, 1, 2)) == 450
    assert PLAIN.working_minutes(wib(2040, 1, 2), wib(2040, 1, 3)) == 450
    assert PLAIN.working_minutes(wib(2026, 1, 5), wib(2026, 1, 6)) == 450


_WORKING_DAY_MINUTES = st.floats(min_value=0, max_value=60_000, allow_nan=False)
_STARTS = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(start=_STARTS, minutes=_WORKING_DAY_MINUTES)
def test_add_and_count_are_inverse(start, minutes):
    due = CAL.add_working_minutes(start, minutes)
    assert due >= start
    assert abs(CAL.working_minutes(start, due) - minutes) < 1e-6
    if minutes > 0:
        local = CAL.local(due)
        minute = local.hour * 60 + local.minute + (local.second + local.microsecond / 1e6) / 60
        assert CAL.is_working_day(local.date())
        # the earliest instant: inside a working interval or exactly at its end, never in a break
        assert any(s <= minute <= e for s, e in DEFAULT_HOURS.minutes(local.weekday()))


@settings(max_examples=200, deadline=None)
@given(
    start=_STARTS, span=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=60))
)
def test_counting_is_additive(start, span):
    middle, end = start + span / 2, start + span
    whole = CAL.working_minutes(start, end)
    assert whole == pytest.approx(
        CAL.working_minutes(start, middle) + CAL.working_minutes(middle, end), abs=1e-6
    )


# --- overrides --------------------------------------------------------------------------------


def test_calendar_for_applies_overrides_and_caches():
    spec = CalendarSpec(timezone="Asia/Jakarta")
    base = calendar_for(spec)
    assert base is calendar_for(spec)
    assert base.is_working_day(dt.date(2026, 12, 31))
    assert not base.is_working_day(dt.date(2026, 5, 15))
    changed = calendar_for(
        spec, add={dt.date(2026, 12, 31): "Cuti Bersama Tahun Baru"}, remove=[dt.date(2026, 5, 15)]
    )
    assert not changed.is_working_day(dt.date(2026, 12, 31))
    assert changed.holiday_name(dt.date(2026, 12, 31)) == "Cuti Bersama Tahun Baru"
    assert changed.is_working_day(dt.date(2026, 5, 15))
    assert changed.day_minutes(dt.date(2026, 5, 15)) == 450
    assert base.is_working_day(dt.date(2026, 12, 31))  # the cached base calendar is untouched


def test_override_file(tmp_path):
    path = tmp_path / "hari_libur.toml"
    path.write_text(
        "# days no longer off\n"
        "hapus = [2026-05-15]\n"
        "[tambah]\n"
        '2026-12-31 = "Cuti Bersama Tahun Baru"\n',
        encoding="utf-8",
    )
    add, remove = load_overrides(path)
    assert add == {dt.date(2026, 12, 31): "Cuti Bersama Tahun Baru"}
    assert remove == {dt.date(2026, 5, 15)}
    calendar = calendar_for(CalendarSpec(timezone="Asia/Jakarta"), add=add, remove=remove)
    assert not calendar.is_working_day(dt.date(2026, 12, 31))
    assert calendar.is_working_day(dt.date(2026, 5, 15))


def test_an_override_file_that_is_a_fifo_or_a_link_is_named_never_read(tmp_path):
    """A FIFO would block the read forever, a link to /dev/zero would never end: both are
    refused with the file and why, before a byte is read."""
    import os

    fifo = tmp_path / "fifo" / "hari_libur.toml"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    with ThreadPoolExecutor(1) as pool:  # a read that blocks fails the test, not the run
        reading = pool.submit(load_overrides, fifo)
        try:
            with pytest.raises(OverrideError, match="hari_libur.toml: cannot read: a FIFO"):
                reading.result(timeout=10)
        finally:
            if not reading.done():  # let the blocked reader go (a writer opens, closes)
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    link = tmp_path / "link" / "hari_libur.toml"
    link.parent.mkdir()
    link.symlink_to("/dev/zero")
    with pytest.raises(OverrideError, match="hari_libur.toml: cannot read: a symbolic link"):
        load_overrides(link)


def test_override_hapus_after_tambah_is_understood(tmp_path):
    # TOML puts this `hapus` inside [tambah]; it is still the removal list
    add, remove = parse_overrides(
        '[tambah]\n2026-12-31 = "Cuti"\nhapus = [2026-05-15, "2026-05-28"]\n', "hari_libur.toml"
    )
    assert add == {dt.date(2026, 12, 31): "Cuti"}
    assert remove == {dt.date(2026, 5, 15), dt.date(2026, 5, 28)}


def test_missing_override_file_means_no_change(tmp_path):
    assert load_overrides(tmp_path / "hari_libur.toml") == ({}, set())


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[tambah]\n2026-12-31 = "Cuti"\n2026-13-01 = "Bad"\n', 3, "'2026-13-01' is not a date"),
        ("[tambah]\n2026-12-31 = Cuti\n", 2, "TOML syntax error"),
        ('hapus = [2026-05-15]\n[tambah]\n2026-05-15 = "x"\n', 3, "both added and removed"),
        ('hapus = ["kemarin"]\n', 1, "'kemarin' in hapus is not a date"),
        ("# comment\ntambahan = 1\n", 2, "unknown key 'tambahan'"),
        ('[tambah]\n2026-12-31 = ""\n', 2, "non-empty text"),
    ],
)
def test_bad_override_file_names_file_and_line(tmp_path, text, line, words):
    path = tmp_path / "hari_libur.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverrideError) as error:
        load_overrides(path)
    assert str(error.value).startswith(f"{path}:{line}: ")
    assert words in str(error.value)
    assert error.value.line == line


OVERRIDE_DATE = '[tambah]\n2026-12-31 = "Cuti"\n2026-13-01 = "Bad"\n'


@pytest.mark.parametrize(
    ("text", "line", "indonesian", "english"),
    [
        (  # a bad date
            OVERRIDE_DATE,
            3,
            "'2026-13-01' bukan tanggal: tulis YYYY-MM-DD = \"nama\"",
            "'2026-13-01' is not a date: write YYYY-MM-DD = \"name\"",
        ),
        (  # a line that is not TOML (tomllib's own detail follows, as given)
            "[tambah]\n2026-12-31 = Cuti\n",
            2,
            "kesalahan sintaks TOML: ",
            "TOML syntax error: ",
        ),
        (  # fields of the wrong type
            "[tambah]\n2026-12-31 = 5\n",
            2,
            "nama untuk 2026-12-31 harus teks yang tidak kosong, di antara tanda kutip",
            "the name of 2026-12-31 must be non-empty text in quotes",
        ),
        (
            "tambah = 3\n",
            1,
            'tambah harus berupa tabel: [tambah] lalu 2026-12-24 = "nama"',
            'tambah must be a table: [tambah] then 2026-12-24 = "name"',
        ),
        (
            'hapus = "2026-05-15"\n',
            1,
            "hapus harus berupa daftar tanggal: hapus = [2026-05-15]",
            "hapus must be a list of dates: hapus = [2026-05-15]",
        ),
        (
            'hapus = ["kemarin"]\n',
            1,
            "'kemarin' di hapus bukan tanggal (YYYY-MM-DD)",
            "'kemarin' in hapus is not a date (YYYY-MM-DD)",
        ),
        (
            "# comment\ntambahan = 1\n",
            2,
            "kunci 'tambahan' tidak dikenal (pakai [tambah] dan hapus = [...])",
            "unknown key 'tambahan' (use [tambah] and hapus = [...])",
        ),
        (
            'hapus = [2026-05-15]\n[tambah]\n2026-05-15 = "x"\n',
            3,
            "2026-05-15 ditambahkan sekaligus dihapus",
            "2026-05-15 is both added and removed",
        ),
    ],
)
def test_a_bad_override_file_is_named_in_both_languages(tmp_path, text, line, indonesian, english):
    """Every refusal is a Text: Bahasa Indonesia by default, English with --lang en, each
    naming the file and line the same way; `str()` stays the English."""
    path = tmp_path / "hari_libur.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OverrideError) as caught:
        load_overrides(path)
    error = caught.value
    said_id, said_en = error.text.message("id"), error.text.message("en")
    assert said_id.startswith(f"{path}:{line}: {indonesian}")
    assert said_en.startswith(f"{path}:{line}: {english}")
    assert said_id != said_en and english not in said_id and indonesian not in said_en
    assert str(error) == said_en and (error.path, error.line) == (path, line)
    if not indonesian.endswith(": "):  # all but the syntax error: tomllib's detail follows
        assert (said_id, said_en) == (f"{path}:{line}: {indonesian}", f"{path}:{line}: {english}")


def test_an_override_file_not_read_is_named_without_a_line_in_both_languages(tmp_path):
    """A file that is not read names the file (no line) and why, the why in the same language."""
    link = tmp_path / "link" / "hari_libur.toml"
    link.parent.mkdir()
    link.symlink_to("/dev/zero")
    latin1 = tmp_path / "latin1" / "hari_libur.toml"
    latin1.parent.mkdir()
    latin1.write_bytes(b'[tambah]\n2026-12-31 = "Caf\xe9"\n')
    for path, indonesian, english in (
        (
            link,
            "tidak dapat dibaca: tautan simbolik (tautan tidak diikuti di folder data)",
            "cannot read: a symbolic link (links are not followed in the data folder)",
        ),
        (latin1, "bukan teks UTF-8 (", "not UTF-8 text ("),
    ):
        with pytest.raises(OverrideError) as caught:
            load_overrides(path)
        assert caught.value.text.message("id").startswith(f"{path}: {indonesian}")
        assert caught.value.text.message("en").startswith(f"{path}: {english}")
        assert (caught.value.path, caught.value.line) == (path, None)


# --- sharing between threads (the overview worker and the UI thread) ----------------------------

THREADS = 16


def _all_at_once(work):
    """Run `work(i)` in THREADS threads released together; switch threads as often as possible."""
    barrier = threading.Barrier(THREADS)

    def run(i):
        barrier.wait()
        return work(i)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(THREADS) as pool:
            return list(pool.map(run, range(THREADS)))
    finally:
        sys.setswitchinterval(interval)


def test_calendars_built_from_many_threads_are_one_complete_calendar(monkeypatch):
    holidays_id._build_calendar.cache_clear()
    holidays_id._build_days_off.cache_clear()
    built = []
    second_builder = threading.Barrier(2)

    def counting_calendar(*args):
        built.append(args)
        # hold the first builder until a second one arrives (none does when builders queue)
        with contextlib.suppress(threading.BrokenBarrierError):
            second_builder.wait(timeout=0.5)
        return WorkingCalendar(*args)

    monkeypatch.setattr(holidays_id, "WorkingCalendar", counting_calendar)
    spec = CalendarSpec(timezone="Asia/Makassar")
    calendars = _all_at_once(lambda i: calendar_for(spec))
    assert len(built) == 1
    assert all(c is calendars[0] for c in calendars)  # built once, then shared
    days_off = dict(calendars[0].holidays)
    assert days_off == indonesian_holidays(holidays_id.DEFAULT_YEARS)
    for year in holidays_id.DEFAULT_YEARS:  # complete: every year has its Independence Day
        assert days_off[dt.date(year, 8, 17)]
    holidays_id._build_calendar.cache_clear()  # no counting calendar left in the cache


def test_a_calendar_shared_by_threads_counts_as_if_alone():
    """Half the threads keep reading 2026 while the others make the shared table grow."""
    shared = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, HOLIDAYS)
    alone = WorkingCalendar("Asia/Jakarta", DEFAULT_HOURS, HOLIDAYS)
    spans = [(wib(2026, 3, 2 + i, 9), wib(2026, 6, 1 + i, 15)) for i in range(THREADS // 2)]
    expected = [(alone.working_minutes(a, b), alone.add_working_minutes(a, 4000)) for a, b in spans]
    far = [wib(2026 + sign * years, 1, 5, 9) for years in range(3, 60, 3) for sign in (-1, 1)]

    def work(i):
        if i % 2:  # a grower: each far date widens the table, both ways
            return [shared.working_minutes(day, day + dt.timedelta(days=1)) for day in far]
        a, b = spans[i // 2]
        return [(shared.working_minutes(a, b), shared.add_working_minutes(a, 4000)) for _ in far]

    for i, got in enumerate(_all_at_once(work)):
        if i % 2:
            assert got == [alone.working_minutes(d, d + dt.timedelta(days=1)) for d in far]
        else:
            assert got == [expected[i // 2]] * len(far)


def test_a_calendar_cannot_be_changed_after_it_is_built():
    with pytest.raises(AttributeError):
        CAL.timezone = "Asia/Jayapura"  # type: ignore[misc]
    with pytest.raises(TypeError):
        CAL.holidays[dt.date(2026, 1, 2)] = "libur"  # type: ignore[index]
    with pytest.raises(AttributeError):
        CAL.extra = 1  # type: ignore[attr-defined]
    assert CAL.is_working_day(dt.date(2026, 1, 2))
