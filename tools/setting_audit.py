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
text is left alone (ids and references).  A raise that moves nothing is
tried lowered too (numbers cut to a fifth, rounded down, floats scaled by
0.2, dates moved 37 minutes back; a 0 has no lowered variant): a capacity
or limit that already covers every drill reads ``NONE`` raised, and its
true effect lowered (``effect (lowered)``, ``refused (lowered)``).  A whole
run takes about 30 minutes on one core (longer where raises move
nothing); ``--only`` restricts it to files whose path holds a text.

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
from collections.abc import Callable, Iterator
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


def lowered(value: Any) -> Any:
    """The lowered variant of a setting: ``value`` itself when it has none
    (a flag, a 0, text)."""
    if isinstance(value, bool):
        return value  # flipped already: the raise tried the other value
    if isinstance(value, int):
        return value // 5 if value > 0 else value
    if isinstance(value, float):
        return value * 0.2
    if isinstance(value, dt.datetime):
        return value - dt.timedelta(minutes=37)
    return value


def lowers(node: Any, pattern: Pattern) -> bool:
    """Whether some leaf of ``node`` at ``pattern`` has a lowered variant."""
    found: list[bool] = []

    def note(value: Any) -> Any:
        found.append(lowered(value) != value)
        return value

    mutate(copy.deepcopy(node), pattern, note)
    return any(found)


Fingerprint = dict[str, str] | str


def judge(
    data: Any, pattern: Pattern, base: dict[str, str], run: Callable[[Any], Fingerprint]
) -> tuple[str, Fingerprint]:
    """How a setting ends: ``("effect" | "refused" | "NONE", its fingerprint)``
    raised, or, when the raise moved nothing, ``("effect (lowered)" | "refused
    (lowered)" | "NONE", …)`` lowered.  ``run`` fingerprints an edited copy."""
    verdicts: list[tuple[str, Fingerprint]] = []
    variants: list[tuple[str, Callable[[Any], Any]]] = [("", changed)]
    if lowers(data, pattern):
        variants.append((" (lowered)", lowered))
    for mark, change in variants:
        edited = copy.deepcopy(data)
        mutate(edited, pattern, change)
        result = run(edited)
        if isinstance(result, str):
            verdicts.append((f"refused{mark}", result))
        elif result != base:
            verdicts.append((f"effect{mark}", result))
        else:
            verdicts.append(("NONE", result))
            continue
        break
    return verdicts[-1]


def mutate(node: Any, pattern: Pattern, change: Callable[[Any], Any] = changed) -> None:
    """Change every leaf of ``node`` at ``pattern`` by ``change``, in place."""
    head, rest = pattern[0], pattern[1:]
    if head == "*" and isinstance(node, list):
        keys: list[Any] = list(range(len(node)))
    elif isinstance(node, dict) and head in node:
        keys = [head]
    else:
        return
    for key in keys:
        if rest:
            mutate(node[key], rest, change)
        else:
            node[key] = change(node[key])


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

            def run(edited: Any, file: Path = file, text: str = text) -> Fingerprint:
                file.write_text(
                    yaml.safe_dump(edited, allow_unicode=True, sort_keys=False), encoding="utf-8"
                )
                try:
                    return fingerprint(work)
                finally:
                    file.write_text(text, encoding="utf-8")

            for pattern in patterns:
                verdict, result = judge(data, pattern, base, run)
                print(line(verdict, f"{rel} {'.'.join(pattern)}", base, result), flush=True)
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)


def line(verdict: str, where: str, base: dict[str, str], result: Fingerprint) -> str:
    """One pattern's line of the report."""
    if isinstance(result, str):
        return f"{verdict} {where}: {result}"
    if verdict == "NONE":
        return f"NONE    {where}"
    moved = ",".join(d for d in DRILLS if result.get(d) != base.get(d))
    return f"{verdict:<7} {where} -> {moved}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="only files whose path holds this text")
    audit(parser.parse_args().only)


if __name__ == "__main__":
    main()
