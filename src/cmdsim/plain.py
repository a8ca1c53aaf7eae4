"""Plain data from model values: what JSON, a table or a decision policy is given.

One rule for every layer: an enum by its value, a mapping as a ``dict``
with string keys, a list or tuple as a ``list``, anything else as it is.
(The event log's details are frozen differently, hashable and with
non-finite floats as ``None``: see :class:`cmdsim.sim.results.Event`.)
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any


def plain(value: Any) -> Any:
    """``value`` as plain data.

    >>> from cmdsim.model import Level
    >>> plain({"level": Level.III, "at": (1, 2.5)})
    {'level': 'III', 'at': [1, 2.5]}
    """
    if isinstance(value, enum.Enum):
        return plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


__all__ = ["plain"]
