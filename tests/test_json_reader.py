"""The bounded reader (scoring._json), shared by the CLI and the browser's entry points."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING

import pytest

from scoring._json import LimitError, Limits, decode_utf8, loads, nesting_depth, read_bytes

if TYPE_CHECKING:
    from pathlib import Path

NBSP, NNBSP = "\u00a0", "\u202f"
SMALL = Limits(max_bytes=100, max_depth=3, max_digits=5)


def test_within_the_limits() -> None:
    assert loads('{"a": [1, -12345, "[[[["]}', SMALL) == {"a": [1, -12345, "[[[["]}
    assert loads('\ufeff{"a": 1}', SMALL) == {"a": 1}  # a byte-order mark is dropped


@pytest.mark.parametrize(
    ("text", "kind", "found", "limit", "sentence"),
    [
        pytest.param(
            "[" + " " * 100 + "]",
            "size",
            102,
            100,
            f"Requête trop volumineuse (0,1{NBSP}ko, au plus 0,1{NBSP}ko)",
            id="size",
        ),
        pytest.param(
            '"' + "é" * 50 + '"',
            "size",
            102,
            100,
            f"Requête trop volumineuse (0,1{NBSP}ko, au plus 0,1{NBSP}ko)",
            id="size-in-bytes",
        ),
        pytest.param(
            "[[[[]]]]",
            "depth",
            4,
            3,
            "Requête trop imbriquée (profondeur 4, au plus 3)",
            id="depth",
        ),
        pytest.param(
            "[123456]",
            "digits",
            6,
            5,
            "Nombre trop long dans la requête (6 chiffres, au plus 5)",
            id="digits",
        ),
        pytest.param(
            "[-123456]",
            "digits",
            6,
            5,
            "Nombre trop long dans la requête (6 chiffres, au plus 5)",
            id="negative",
        ),
    ],
)
def test_each_limit_says_what_it_found(
    text: str, kind: str, found: int, limit: int, sentence: str
) -> None:
    with pytest.raises(LimitError) as caught:
        loads(text, SMALL)
    assert (caught.value.kind, caught.value.found, caught.value.limit) == (kind, found, limit)
    assert caught.value.sentence("Requête") == sentence


def test_sizes_are_written_the_french_way() -> None:
    assert LimitError("size", 10_000_091, 8_000_000).detail == f"(10,0{NBSP}Mo, au plus 8{NBSP}Mo)"
    assert LimitError("size", 70_000, 64_000).detail == f"(70,0{NBSP}ko, au plus 64{NBSP}ko)"
    assert LimitError("size", None, 8_100_000).detail == f"(plus de 8,1{NBSP}Mo)"
    assert LimitError("depth", 100_000, 8).detail == f"(profondeur 100{NNBSP}000, au plus 8)"
    assert LimitError("digits", 5000, 20).detail == f"(5{NNBSP}000 chiffres, au plus 20)"


def test_depth_is_checked_before_parsing() -> None:
    # 100 000 brackets would overflow the stack inside json (and kill Pyodide): never parsed.
    limits = Limits(max_bytes=1_000_000, max_depth=8)
    with pytest.raises(LimitError) as caught:
        loads("[" * 100_000, limits)
    assert caught.value.found == 100_000
    assert nesting_depth('["]]]", "\\"[[["]') == 1


def test_not_json_and_not_text() -> None:
    with pytest.raises(json.JSONDecodeError):
        loads("{", SMALL)
    with pytest.raises(TypeError):
        loads(None, SMALL)  # type: ignore[arg-type]


def test_read_bytes_stops_one_byte_past_the_limit(tmp_path: Path) -> None:
    assert read_bytes(io.BytesIO(b"x" * 10), 10) == b"x" * 10
    endless = io.BytesIO(b"x" * 1000)
    with pytest.raises(LimitError) as caught:
        read_bytes(endless, 10)
    assert (caught.value.found, endless.tell()) == (None, 11)  # a stream: its size is unknown
    path = tmp_path / "big"
    path.write_bytes(b"x" * 5000)
    with path.open("rb") as file, pytest.raises(LimitError) as caught:
        read_bytes(file, 10)
    assert caught.value.found == 5000  # a regular file: its size is told
    with open("/dev/zero", "rb") as zero, pytest.raises(LimitError) as caught:  # noqa: PTH123
        read_bytes(zero, 1000)
    assert caught.value.found is None


def test_decode_utf8() -> None:
    assert decode_utf8(b"\xef\xbb\xbfa\xc3\xa9") == "aé"
    with pytest.raises(UnicodeDecodeError) as caught:
        decode_utf8(b"ab\xe9")
    assert caught.value.start == 2
