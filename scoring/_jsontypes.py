"""The type of JSON-ready data: what a record's ``to_dict`` gives, for the boundary to dump.

Records keep typed fields (dates, tuples, other records); only their ``to_dict`` speaks in
these terms, once, where an answer leaves Python (``scoring.browser``). Read-only containers
(``Sequence``, ``Mapping``): covariant, so that a ``list[int]`` or a ``dict[str, str]`` is
JSON data too.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeAlias

__all__ = ["JsonObject", "JsonValue"]

JsonValue: TypeAlias = (
    str | int | float | bool | None | Sequence["JsonValue"] | Mapping[str, "JsonValue"]
)
JsonObject: TypeAlias = Mapping[str, JsonValue]
