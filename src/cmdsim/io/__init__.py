"""YAML in and out: districts and scenarios as files, with located errors.

>>> district = loads("id: demo\\nunits: [{id: police}]")
>>> district.unit("police").staff
5
>>> print(dump(district), end="")
id: demo
units:
  - id: police
"""

from __future__ import annotations

from cmdsim.io._nodes import Location
from cmdsim.io._types import field_types
from cmdsim.io.dumping import dump, scenario_digest, to_data
from cmdsim.io.loading import (
    Loaded,
    document_kind,
    from_data,
    load,
    load_district,
    load_scenario,
    load_with_locations,
    loads,
    unincluded,
)
from cmdsim.io.locations import Locations
from cmdsim.io.schema import json_schema

__all__ = [
    "Loaded",
    "Location",
    "Locations",
    "document_kind",
    "dump",
    "field_types",
    "from_data",
    "json_schema",
    "load",
    "load_district",
    "load_scenario",
    "load_with_locations",
    "loads",
    "scenario_digest",
    "to_data",
    "unincluded",
]
