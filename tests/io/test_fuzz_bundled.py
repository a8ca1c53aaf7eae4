"""A standing fuzz check: the bundled district and drills, mutated, are
refused with a located message (exit 2) or give a valid result; never a
traceback.

``tests/io/test_fuzz.py`` feeds the loader arbitrary YAML-shaped input;
this module mutates the real files the way a planner breaks them. Each
example copies ``scenarios/`` to a temporary directory, changes one file
(drops, duplicates, retypes and misspells fields, swaps ids, moves times out
of the scenario, breaks includes) and runs ``cmdsim validate``, ``check``,
``run`` and ``batch -n 3 --metric ...`` on a drill, in process (click's
``CliRunner``). The rules:

- no command raises: a traceback is exit 1 with an exception, never allowed;
- a refusal is exit 2 with one message a line; a file that does not load is
  refused with ``FILE:LINE:COLUMN: FIELD: MESSAGE`` lines, by ``validate``
  and by ``run``;
- a drill ``validate`` accepts also runs (``run`` exits 0) and its batch
  runs (exit 0, or exit 2 for a metric the mutation renamed away);
- ``check`` exits 0 or 1 on what loads.

The budget is ``CMDSIM_FUZZ_EXAMPLES`` (default 15, derandomized; the bundled district with its
towns' plans makes each example cost ~2.5 s, so CI runs
the same examples every time); ``CMDSIM_FUZZ_EXAMPLES=2000`` with
``CMDSIM_FUZZ_RANDOM=1`` explores further. Crashes found that are others' to
fix are kept below as strict xfails with their smallest reproducer.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from cmdsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
EXAMPLES = int(os.environ.get("CMDSIM_FUZZ_EXAMPLES", "15"))
RANDOM = os.environ.get("CMDSIM_FUZZ_RANDOM", "") not in {"", "0"}

#: drill -> what its batch is asked for: the first incident's awareness, first
#: level and lead HQ's activation, all of which the fast path computes
DRILLS = {
    "gas.yaml": ("gas_main_rupture", "gas_hq"),
    "traffic.yaml": ("expressway_pileup", "road_traffic_hq"),
    "flood-typhoon.yaml": ("typhoon_rainstorm", "flood_typhoon_hq"),
    "compound-typhoon.yaml": ("typhoon_rainstorm", "flood_typhoon_hq"),
    "typhoon-landfall.yaml": ("typhoon_bebinca", "flood_typhoon_hq"),
}
DISTRICT_FILES = (
    "district/district.yaml",
    "district/units.yaml",
    "district/commands.yaml",
    "district/towns.yaml",
    "district/plans/general.yaml",
    "district/plans/flood_typhoon.yaml",
    "district/plans/gas.yaml",
    "district/plans/road_traffic.yaml",
    "district/plans/other.yaml",
)
TARGETS = (*DRILLS, *DISTRICT_FILES)
#: Keys holding minutes or calendar times, whose values a time mutation moves.
TIME_KEYS = {
    "at",
    "onset",
    "start",
    "horizon",
    "within",
    "minutes",
    "median",
    "mean",
    "low",
    "mode",
    "high",
    "reassess",
    "hold",
    "duration",
    "delay",
    "end",
    "until",
}
ID = re.compile(r"^[a-z][a-z0-9_]*$")
LOCATED = re.compile(r"^\S+?:\d+:\d+: \S")
Path_ = tuple[Any, ...]


# --- the bundled files, read once -------------------------------------------


def _load_yaml(text: str) -> Any:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)


ORIGINAL = {name: _load_yaml((SCENARIOS / name).read_text(encoding="utf-8")) for name in TARGETS}


def metrics(drill: str) -> list[str]:
    incident, hq = DRILLS[drill]
    return [
        f"incident.{incident}.{name}" for name in ("aware", "level_decided", f"hq.{hq}.activated")
    ]


def _ids(data: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "id" and isinstance(value, str):
                found.add(value)
            found |= _ids(value)
    elif isinstance(data, list):
        for item in data:
            found |= _ids(item)
    return found


ALL_IDS = sorted(set().union(*(_ids(data) for data in ORIGINAL.values())))


def _by_key(data: Any, key: Any = None, found: dict[str, set[str]] | None = None) -> Any:
    """Each key's id-like string values (a list's items count under the list's key)."""
    found = {} if found is None else found
    if isinstance(data, dict):
        for k, value in data.items():
            _by_key(value, k, found)
    elif isinstance(data, list):
        for item in data:
            _by_key(item, key, found)
    elif isinstance(data, str) and isinstance(key, str) and ID.match(data):
        found.setdefault(key, set()).add(data)
    return found


#: key -> the ids the bundled files give it: a swap among them usually stays
#: valid and moves the run (another town, another HQ, another channel)
SAME_KIND: dict[str, list[str]] = {}
for _data in ORIGINAL.values():
    for _key, _values in _by_key(_data).items():
        SAME_KIND[_key] = sorted(set(SAME_KIND.get(_key, [])) | _values)


def _dump(data: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)


# --- where a mutation can act -----------------------------------------------


def _spots(data: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) below the root, parents before children."""
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return
    for key, value in items:
        yield (*path, key), value
        yield from _spots(value, (*path, key))


def _parent(data: Any, path: Path_) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


def _show(path: Path_) -> str:
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(
        "."
    )


def _misspell(word: str, draw: st.DrawFn) -> str:
    if not word:
        return "x"
    i = draw(st.integers(0, len(word) - 1))
    how = draw(st.sampled_from(["drop", "double", "swap", "replace"]))
    if how == "drop" and len(word) > 1:
        return word[:i] + word[i + 1 :]
    if how == "swap" and i + 1 < len(word) and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "replace":
        other = draw(st.sampled_from("aeiourstxz_"))
        if other != word[i]:
            return word[:i] + other + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


OTHER_VALUES = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        2.5,
        10**30,
        math.nan,
        math.inf,
        "",
        "x",
        "IV",
        "V",
        "08:30",
        "25:61",
        "deaths >= ",
        "2024-13-45",
        [],
        [1],
        {},
        {"kind": "lognormal"},
        {"include": "nowhere.yaml"},
        dt.date(2024, 1, 1),
    ]
)
OUT_OF_RANGE_MINUTES = st.sampled_from([-1, -600, 2000, 10**6, 1e12, -math.inf, math.inf])
DAY_SHIFTS = st.sampled_from([-3650, -10, -1, 1, 10, 365, 36500])


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, Any, list[str], list[str]]:
    """A target file, its mutated data, what was done, and files to delete."""
    target = draw(st.sampled_from(TARGETS))
    data = copy.deepcopy(ORIGINAL[target])
    done: list[str] = []
    removed: list[str] = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                # scale and swap mostly keep a file valid, so the engine and
                # the fast path see changed scenarios, not only the loader
                [
                    *["drop", "duplicate", "retype", "key", "misspell", "time", "include"],
                    *["swap", "scale"] * 3,
                ]
            )
        )
        spots = list(_spots(data))
        if kind == "drop":
            path, _value = draw(st.sampled_from(spots))
            parent = _parent(data, path)
            del parent[path[-1]]
            done.append(f"drop {_show(path)}")
        elif kind == "duplicate":
            lists = [(p, v) for p, v in spots if isinstance(v, list) and v]
            if not lists:
                continue
            path, value = draw(st.sampled_from(lists))
            i = draw(st.integers(0, len(value) - 1))
            value.insert(i, copy.deepcopy(value[i]))
            done.append(f"duplicate {_show((*path, i))}")
        elif kind == "retype":
            path, value = draw(st.sampled_from(spots))
            # a copy: a later mutation must not change the shared value
            other = copy.deepcopy(
                draw(OTHER_VALUES.filter(lambda v, value=value: type(v) is not type(value)))
            )
            _parent(data, path)[path[-1]] = other
            done.append(f"retype {_show(path)} = {other!r}")
        elif kind == "key":
            keys = [(p, v) for p, v in spots if isinstance(p[-1], str)]
            path, value = draw(st.sampled_from(keys))
            parent = _parent(data, path)
            new = _misspell(path[-1], draw)
            if new in parent:
                continue
            parent[new] = parent.pop(path[-1])
            done.append(f"rename key {_show(path)} -> {new!r}")
        elif kind in {"misspell", "swap"}:
            words = [(p, v) for p, v in spots if isinstance(v, str) and ID.match(v)]
            if not words:
                continue
            path, value = draw(st.sampled_from(words))
            key = next((step for step in reversed(path) if isinstance(step, str)), "")
            if kind == "misspell":
                new = _misspell(value, draw)
            elif draw(st.booleans()) and len(SAME_KIND.get(key, [])) > 1:
                new = draw(st.sampled_from(SAME_KIND[key]))
            else:
                new = draw(st.sampled_from(ALL_IDS))
            _parent(data, path)[path[-1]] = new
            done.append(f"{kind} {_show(path)}: {value!r} -> {new!r}")
        elif kind == "scale":
            numbers = [
                (p, v)
                for p, v in spots
                if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            ]
            if not numbers:
                continue
            path, value = draw(st.sampled_from(numbers))
            factor = draw(st.sampled_from([0, 0.5, 2, 3, 10]))
            new = type(value)(value * factor)
            _parent(data, path)[path[-1]] = new
            done.append(f"scale {_show(path)}: {value!r} -> {new!r}")
        elif kind == "time":
            times = [
                (p, v)
                for p, v in spots
                if isinstance(p[-1], str)
                and p[-1] in TIME_KEYS
                and isinstance(v, int | float | dt.date)
                and not isinstance(v, bool)
            ]
            if not times:
                continue
            path, value = draw(st.sampled_from(times))
            if isinstance(value, dt.date):
                new = value + dt.timedelta(days=draw(DAY_SHIFTS))
            else:
                new = draw(OUT_OF_RANGE_MINUTES)
            _parent(data, path)[path[-1]] = new
            done.append(f"time {_show(path)}: {value!r} -> {new!r}")
        elif kind == "include":
            includes = [(p, v) for p, v in spots if isinstance(v, dict) and list(v) == ["include"]]
            if not includes:
                continue
            path, value = draw(st.sampled_from(includes))
            how = draw(st.sampled_from(["misspell", "other", "self", "dir", "delete"]))
            here = Path(target).parent
            if how == "delete":
                removed.append((here / value["include"]).as_posix())
                done.append(f"delete the file {_show(path)} includes ({value['include']})")
                continue
            new = {
                "misspell": _misspell(value["include"], draw),
                "other": draw(
                    st.sampled_from(["units.yaml", "towns.yaml", "../gas.yaml", "plans"])
                ),
                "self": Path(target).name,
                "dir": ".",
            }[how]
            value["include"] = new
            done.append(f"include {_show(path)} -> {new!r}")
    return target, data, done, removed


# --- running the commands ---------------------------------------------------


@pytest.fixture(autouse=True)
def _compose_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compose each unchanged file's YAML once for the whole module.

    Composing is three quarters of a load of the bundled district; the node
    graph depends on the text alone and nothing writes to it, so caching it
    keeps the budget for the mutations. Without the hook (renamed), the
    module still runs, only slower.
    """
    from cmdsim.io import includes

    real = getattr(includes, "compose", None)
    if real is None:
        return
    monkeypatch.setattr(includes, "compose", _cached(real))


_COMPOSED: dict[str, Any] = {}


def _cached(real: Any) -> Any:
    def compose(text: str, name: str) -> Any:
        if text not in _COMPOSED:
            if len(_COMPOSED) > 64:
                _COMPOSED.clear()
            _COMPOSED[text] = real(text, name)
        return _COMPOSED[text]

    return compose


@pytest.fixture(autouse=True)
def _read_once_per_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read each file of a mutated tree once for the commands run on it.

    ``validate``, ``check``, ``run`` and ``batch`` each load the same drill of
    the same tree, which nothing changes in between (:func:`outcome`); the
    reading (YAML to located tree, includes spliced in) is a function of the
    path and the files' bytes, so the later commands take the first one's
    (or its refusal) and spend the budget on what they do with it.  Each
    still structures and validates what was read itself.  :func:`apply`
    forgets what was read, as it writes the next tree.
    """
    from cmdsim.io import loading

    real = getattr(loading, "_read", None)
    if real is None:
        return

    def read(path: Any) -> Any:
        key = (os.fspath(path), os.getcwd())
        if key not in _READ:
            try:
                _READ[key] = real(path)
            except Exception as exc:  # a refusal, raised again each time
                _READ[key] = exc
        made = _READ[key]
        if isinstance(made, Exception):
            raise made
        return made

    monkeypatch.setattr(loading, "_read", read)


_READ: dict[tuple[str, str], Any] = {}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def crashed(result: Result) -> str | None:
    """The traceback summary when a command raised instead of answering."""
    if result.exception is None or isinstance(result.exception, SystemExit):
        return None
    exc = result.exception
    tb = exc.__traceback__
    frames = []
    while tb is not None:
        frames.append(f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}")
        tb = tb.tb_next
    return f"{type(exc).__name__}: {exc}\n  " + "\n  ".join(frames[-4:])


def outcome(where: Path, drill: str) -> dict[str, Result]:
    """validate, check, run and batch of the drill, stopping at a refusal to load."""
    path = str(where / drill)
    results = {"validate": invoke("validate", path)}
    if results["validate"].exit_code != 0:
        results["run"] = invoke("run", path, "--seed", "1")
        return results
    results["check"] = invoke("check", path)
    results["run"] = invoke("run", path, "--seed", "1")
    asked = [arg for metric in metrics(drill) for arg in ("--metric", metric)]
    results["batch"] = invoke("batch", path, "-n", "3", "--seed", "1", "--no-progress", *asked)
    return results


def judge(results: dict[str, Result]) -> list[str]:
    """What is wrong with the outcome; empty when it is a refusal or a result."""
    wrong = []
    for name, result in results.items():
        if trace := crashed(result):
            wrong.append(f"{name} raised {trace}")
    if wrong:
        return wrong
    validate = results["validate"]
    if validate.exit_code == 2:
        lines = validate.stderr.splitlines()
        if not lines or not all(LOCATED.match(line) for line in lines):
            wrong.append(f"validate refused without FILE:LINE:COLUMN:\n{validate.stderr}")
        run = results["run"]
        # run may say more (a district file is no scenario), but as located lines
        if run.exit_code != 2 or not all(LOCATED.match(line) for line in run.stderr.splitlines()):
            wrong.append(f"validate refused, run exited {run.exit_code}:\n{run.stderr}")
        return wrong
    if validate.exit_code != 0:
        return [f"validate exited {validate.exit_code}:\n{validate.output}"]
    if results["check"].exit_code not in {0, 1}:
        wrong.append(f"check exited {results['check'].exit_code}:\n{results['check'].output}")
    if results["run"].exit_code != 0:
        wrong.append(
            f"validate accepted, run exited {results['run'].exit_code}:\n{results['run'].stderr}"
        )
    batch = results["batch"]
    if batch.exit_code != 0 and not (batch.exit_code == 2 and "unknown metric" in batch.stderr):
        wrong.append(f"validate accepted, batch exited {batch.exit_code}:\n{batch.stderr}")
    return wrong


def apply(where: Path, target: str, data: Any, removed: list[str]) -> str:
    """Write the mutation into a copy of scenarios/; the drill to run."""
    _READ.clear()
    shutil.copytree(SCENARIOS, where, dirs_exist_ok=True)
    (where / target).write_text(_dump(data), encoding="utf-8")
    for name in removed:
        gone = where / name
        if gone.is_file():
            gone.unlink()
    return target if target in DRILLS else sorted(DRILLS)[len(target) % len(DRILLS)]


SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=not RANDOM,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@SETTINGS
@given(mutation=mutations())
def test_a_mutated_bundled_file_is_refused_or_runs(
    mutation: tuple[str, Any, list[str], list[str]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    target, data, done, removed = mutation
    note(f"{target}: " + "; ".join(done))
    where = tmp_path_factory.mktemp("fuzz")
    drill = apply(where, target, data, removed)
    wrong = judge(outcome(where, drill))
    assert not wrong, f"{target}: {'; '.join(done)}\n" + "\n".join(wrong)


# --- the harness itself -----------------------------------------------------


def test_the_unmutated_files_validate(tmp_path: Path) -> None:
    """Dumped back unchanged, every target still loads: the mutations are the
    only changes the fuzzer makes."""
    for target in TARGETS:
        where = tmp_path / target.replace("/", "_")
        drill = apply(where, target, ORIGINAL[target], [])
        result = invoke("validate", str(where / drill))
        assert result.exit_code == 0, f"{target}:\n{result.output}"


def test_the_batches_ask_for_metrics_the_drills_report() -> None:
    from cmdsim.analysis.metrics import known_metrics
    from cmdsim.io import load_scenario

    for drill in DRILLS:
        known = known_metrics(load_scenario(SCENARIOS / drill))
        assert set(metrics(drill)) <= set(known), drill


def test_the_judge_rejects_a_traceback_and_an_unlocated_refusal(tmp_path: Path) -> None:
    where = tmp_path / "x"
    drill = apply(where, "gas.yaml", ORIGINAL["gas.yaml"], [])
    fine = outcome(where, drill)
    assert judge(fine) == []
    assert fine["batch"].exit_code == 0
    boom = CliRunner().invoke(main, ["validate", str(where / drill)], catch_exceptions=True)
    boom.exception = ZeroDivisionError("boom")
    boom.exit_code = 1
    assert judge({**fine, "validate": boom})[0].startswith("validate raised ZeroDivisionError")
    unlocated = SimpleNamespace(exit_code=2, exception=None, stderr="gas.yaml: broken\n")
    located = SimpleNamespace(exit_code=2, exception=None, stderr="gas.yaml:3:1: id: broken\n")
    assert judge({"validate": located, "run": located}) == []  # type: ignore[dict-item]
    [wrong] = judge({"validate": unlocated, "run": located})  # type: ignore[dict-item]
    assert wrong.startswith("validate refused without FILE:LINE:COLUMN")
    accepted = {**fine, "run": SimpleNamespace(exit_code=2, exception=None, stderr="error: x\n")}
    assert judge(accepted)[0].startswith("validate accepted, run exited 2")  # type: ignore[arg-type]


def test_a_misspelled_include_is_a_located_refusal(tmp_path: Path) -> None:
    data = copy.deepcopy(ORIGINAL["gas.yaml"])
    data["district"] = {"include": "distrct/district.yaml"}
    drill = apply(tmp_path, "gas.yaml", data, [])
    results = outcome(tmp_path, drill)
    assert judge(results) == []
    assert results["validate"].exit_code == 2
    assert "distrct" in results["validate"].stderr
