"""Table figures: Indonesian decimal commas, '-' for an undefined share, compact durations."""

from langkah.analytics.labels import compact, number, pct


def test_numbers_and_shares():
    assert (number(1.5, "id"), number(1.5, "en"), number(2.0, "id")) == ("1,5", "1.5", "2")
    assert (pct(62.5, "id"), pct(None, "id"), pct(0.0, "en")) == ("62,5%", "-", "0%")


def test_compact_durations_by_size():
    assert compact(None, "id", 450) == "-"
    assert compact(45, "id", 450) == "45m"
    assert compact(90, "id", 450) == "1,5j" and compact(90, "en", 450) == "1.5h"
    assert compact(945, "id", 450) == "2,1h" and compact(945, "en", 450) == "2.1d"
