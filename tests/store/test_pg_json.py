"""`pg_json.encode`, the fast path of `dumps(to_jsonb(...))`: the same text for every value."""

from __future__ import annotations

import json

import pytest

from langkah.store import pg_json

VALUES = [
    {"text": "catatan biasa", "n": 3, "x": 1.5, "ok": True, "none": None, "list": [1, "a"]},
    {"text": "a\x00b"},
    {"text": "lone \ud800 surrogate"},
    {"\ud83d": "a lone surrogate as a key"},
    {"text": "\ue000 starts with the mark"},
    {"text": "holds the mark \ue000 inside"},
    {"x": 1e20},
    {"x": [1e-05, 2.0]},
    [-0.0],
    {"x": -0.0, "y": 0.0},
    1e300,
    -0.0,
    float("nan"),
    [float("inf"), float("-inf")],
    {"text": "looks like a number :1e5 ,NaN [-0.0] in text"},
    {"text": "a backslash then u0000: \\u0000"},
    {"nested": [{"deep": [{"x": 12.5e10}]}]},
    {1: "an int key", "t": (1, 2)},
    "plain",
    "",
    {"text": 'tab\tnewline\n quote" backslash\\ é ✓ 😀'},
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_encode_is_dumps_of_to_jsonb(value):
    encoded = pg_json.encode(value)
    assert encoded == pg_json.dumps(pg_json.to_jsonb(value))
    decoded = pg_json.loads(encoded)
    assert json.dumps(decoded, allow_nan=True) == json.dumps(
        json.loads(json.dumps(value, allow_nan=True)), allow_nan=True
    )
