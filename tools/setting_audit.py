"""Settings that change nothing: a search for silent wrong answers.

Copies the bundled scenarios into a temporary folder and, for every numeric,
true/false and date setting of every file (a *pattern*: the field's path with
list positions as ``*``, so ``posts.*.people`` changes every post's people at
once), changes it and reruns every bundled drill (seeds 0-2) and
``cmdsim check``.  Each pattern ends one of three ways:

- ``effect``: some drill's result or the check's findings moved (the drills
  that moved are named);
- ``refused``: the changed file no longer loads (the located message);
- ``NONE``: nothing moved.  Either the drills never reach what the setting
  governs (a level no drill puts in force, a town no drill has an incident
  in, a capacity never binding), or the setting has no effect at all — a
  silent wrong answer to fix.  Which one is a judgment made by reading.

Numbers are doubled and one added (negative ones lowered by 7), floats
scaled by 1.7 and 0.3 added, booleans flipped, dates moved 37 minutes;
text is left alone (ids and references).  A whole run takes about 30
minutes on one core; ``--only`` restricts it to files whose path holds a
text.

Usage::

    python tools/setting_audit.py                      # every file
    python tools/setting_audit.py --only plans/gas     # one file
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from cmdsim.check import check
from cmdsim.errors import CmdsimError
from cmdsim.io import load_scenario
from cmdsim.sim import simulate

ROOT = Path(__file__).resolve().parent.parent / "scenarios"
DRILLS = ("flood-typhoon", "gas", "traffic", "compound-typhoon", "typhoon-landfall")
SEEDS = (0, 1, 2)
Pattern = tuple[str, ...]


def fingerprint(root: Path) -> dict[str, str] | str:
    """Per drill, a digest of its runs and its check's findings; or the load error."""
    out = {}
    for drill in DRILLS:
        try:
            scenario = load_scenario(root / f"{drill}.yaml")
        except CmdsimError as error:
            return str(error).splitlines()[0]
        digest = hashlib.sha256()
        for seed in SEEDS:
            digest.update(simulate(scenario, seed).to_json().encode())
        findings = sorted(str(f) for f in check(scenario.district).findings)
        digest.update(json.dumps(findings).encode())
        out[drill] = digest.hexdigest()
    return out


def leaves(node: Any, path: Pattern = ()) -> Iterator[tuple[Pattern, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, str(key)))
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value, (*path, "*"))
    else:
        yield path, node


def changed(value: Any) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value * 2 + 1 if value >= 0 else value - 7
    if isinstance(value, float):
        return value * 1.7 + 0.3
    if isinstance(value, dt.datetime):
        return value + dt.timedelta(minutes=37)
    return value


def mutate(node: Any, pattern: Pattern) -> None:
    """Change every leaf of ``node`` at ``pattern``, in place."""
    head, rest = pattern[0], pattern[1:]
    if head == "*" and isinstance(node, list):
        keys: list[Any] = list(range(len(node)))
    elif isinstance(node, dict) and head in node:
        keys = [head]
    else:
        return
    for key in keys:
        if rest:
            mutate(node[key], rest)
        else:
            node[key] = changed(node[key])


def audit(only: str) -> None:
    work = Path(tempfile.mkdtemp()) / "scenarios"
    shutil.copytree(ROOT, work)
    try:
        base = fingerprint(work)
        if isinstance(base, str):
            raise SystemExit(f"the bundled scenarios do not load: {base}")
        files = sorted(p for p in work.rglob("*.yaml") if not {"msel", "validation"} & set(p.parts))
        for file in files:
            rel = file.relative_to(work).as_posix()
            if only not in rel:
                continue
            text = file.read_text(encoding="utf-8")
            data = yaml.safe_load(text)
            kinds = (bool, int, float, dt.datetime)
            patterns = sorted({p for p, v in leaves(data) if p and isinstance(v, kinds)})
            for pattern in patterns:
                edited = copy.deepcopy(data)
                mutate(edited, pattern)
                file.write_text(
                    yaml.safe_dump(edited, allow_unicode=True, sort_keys=False), encoding="utf-8"
                )
                result = fingerprint(work)
                file.write_text(text, encoding="utf-8")
                where = f"{rel} {'.'.join(pattern)}"
                if isinstance(result, str):
                    print(f"refused {where}: {result}", flush=True)
                elif result == base:
                    print(f"NONE    {where}", flush=True)
                else:
                    moved = ",".join(d for d in DRILLS if result[d] != base[d])
                    print(f"effect  {where} -> {moved}", flush=True)
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="only files whose path holds this text")
    audit(parser.parse_args().only)


if __name__ == "__main__":
    main()
