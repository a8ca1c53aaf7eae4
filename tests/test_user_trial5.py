"""User trial 5: a planner in a notebook asking what-if questions.

Each test is a defect found by working through docs/python-api.md and
docs/experiments.md from an installed wheel, as a planner would: load the
bundled district, change it with ``attrs.evolve``, run batches, sweeps and
sensitivity, compare and read the results.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cmdsim
from cmdsim import bundled
from cmdsim.analysis import check_scenario, replicate, sweep
from cmdsim.analysis.sensitivity import sensitivity
from cmdsim.analysis.sweep import Variation
from cmdsim.errors import CmdsimError, ModelError, ScenarioError
from cmdsim.io import load_scenario, loads
from cmdsim.model import Fixed, Level, LogNormal, Scenario, Task, TierSpec

LEAD = "incident.gas_main_rupture.hq.gas_hq.activated"


@pytest.fixture(scope="module")
def gas() -> Scenario:
    return load_scenario(bundled.path("gas.yaml"))


def _night(scenario: Scenario, value: object) -> Scenario:
    district = scenario.district
    room = district.duty_room
    staffing = attrs.evolve(room.staffing, night=value)
    return attrs.evolve(
        scenario,
        district=attrs.evolve(district, duty_room=attrs.evolve(room, staffing=staffing)),
    )


@pytest.mark.parametrize("value", [2.5, True, "3", None])
def test_a_head_count_that_is_no_whole_number_is_refused_where_it_is_built(
    gas: Scenario, value: object
) -> None:
    """``night=2.5`` ran as 2 officers and ``night=True`` as 1, with no word;
    ``night="3"`` was a TypeError from a comparison deep in the validators."""
    with pytest.raises(ModelError) as caught:
        _night(gas, value)
    assert str(caught.value) == f"night: expected a whole number of people, got {value!r}"


def test_a_number_field_given_a_string_names_the_field(gas: Scenario) -> None:
    """``deaths="3"`` was a TypeError from ``math.isnan`` in the validator."""
    point = gas.incidents[0].timeline[1]
    with pytest.raises(ModelError) as caught:
        attrs.evolve(point, deaths="3")
    assert str(caught.value) == "deaths: expected a number, got '3'"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: TierSpec(miss="0.1"), "miss: expected a number, got '0.1'"),
        (lambda: TierSpec(miss=True), "miss: expected a number, got True"),
        (lambda: Fixed("5"), "minutes: expected a number, got '5'"),
        (lambda: Fixed(None), "minutes: expected a number, got None"),
        (lambda: LogNormal(median=20, sigma="0.5"), "sigma: expected a number, got '0.5'"),
    ],
    ids=["string", "bool", "string-minutes", "none", "string-sigma"],
)
def test_a_number_field_refuses_what_a_file_could_not_give(
    build: Callable[[], object], message: str
) -> None:
    """``converter=float`` took ``"0.1"`` (``float("0.1")``) and ``True``
    from Python, which a file is refused for."""
    with pytest.raises(ModelError) as caught:
        build()
    assert str(caught.value) == message


def test_a_file_refuses_a_string_for_a_number_as_python_does() -> None:
    text = "id: demo\nofficers: {tiers: {town: {miss: '0.1'}}}\n"
    with pytest.raises(
        CmdsimError, match=r"officers\.tiers\.town\.miss: expected a number, got '0\.1'"
    ):
        loads(text)
    assert TierSpec(miss=np.float32(0.25)).miss == 0.25
    assert type(TierSpec(miss=1).miss) is float


def test_a_whole_float_head_count_is_a_head_count(gas: Scenario) -> None:
    """The loader reads ``night: 2.0`` as the int 2; Python's 2.0 is stored
    as 2 too (it was kept as the float 2.0)."""
    loaded = loads("id: d\nduty_room: {id: r, staffing: {day: 3, night: 2.0, holiday: 2}}\n")
    assert type(loaded.duty_room.staffing.night) is int
    as_float = _night(gas, 2.0)
    assert type(as_float.district.duty_room.staffing.night) is int
    assert as_float == _night(gas, 2)
    as_int = _night(gas, 2)
    # A task's resource count too.
    task = Task(id="t", unit="fire", resources={"pumps": 2.0})
    assert type(task.resources["pumps"]) is int and task.resources == {"pumps": 2}
    check_scenario(as_float)
    assert cmdsim.simulate(as_float, 3).to_json() == cmdsim.simulate(as_int, 3).to_json()


def test_a_horizon_cut_before_the_timeline_is_refused_not_run_as_never(gas: Scenario) -> None:
    """``attrs.evolve(gas, horizon=5)`` ran, and the lead HQ's activation read
    NaN ("never happened") in every replication; the file would be refused."""
    short = attrs.evolve(gas, horizon=5)
    with pytest.raises(CmdsimError) as caught:
        replicate(short, 4, seed=1)
    text = str(caught.value)
    assert text.startswith("scenario 'gas' is not one a file could give (9 problems):\n")
    assert (
        "  incidents[0].timeline[1].at: at 40 min from onset falls 40 min after the start, "
        "after the horizon of 5 min (onset is 0 min after the start)"
    ) in text.splitlines()
    with pytest.raises(CmdsimError):
        cmdsim.simulate(short, 1)


def test_a_wrong_type_the_validators_let_through_is_named_with_its_path(gas: Scenario) -> None:
    """A trigger's level written as the string ``"II"`` builds (attrs runs no
    type check) and then never compares with a Level."""
    plan_index = next(k for k, p in enumerate(gas.district.plans) if p.id == "gas_plan")
    plan = gas.district.plans[plan_index]
    triggers = (attrs.evolve(plan.triggers[0], level="II"), *plan.triggers[1:])
    plans = list(gas.district.plans)
    plans[plan_index] = attrs.evolve(plan, triggers=triggers)
    broken = attrs.evolve(gas, district=attrs.evolve(gas.district, plans=tuple(plans)))
    with pytest.raises(CmdsimError) as caught:
        replicate(broken, 2)
    assert f"  district.plans[{plan_index}].triggers[0].level: expected a Level " in str(
        caught.value
    )
    assert "got 'II' (str)" in str(caught.value)
    # The right value is accepted, as the file's "II" would be.
    fixed = attrs.evolve(triggers[0], level=Level.II)
    assert fixed.level is Level.II


def test_an_unknown_flag_set_in_python_is_refused_as_in_a_file(gas: Scenario) -> None:
    incident = attrs.evolve(gas.incidents[0], flags=("holday",))
    typo = attrs.evolve(gas, incidents=(incident,))
    with pytest.raises(CmdsimError) as caught:
        cmdsim.simulate(typo, 0)
    assert "incidents[0].flags[0]: unknown flag 'holday' (did you mean 'holiday'?)" in str(
        caught.value
    )


def test_the_engine_itself_still_runs_what_a_program_builds_on_purpose(gas: Scenario) -> None:
    """A drill console adds an inject after the horizon: ``cmdsim.sim.simulate``
    (the engine) runs it; only the user-facing entry points check."""
    from cmdsim.sim import simulate as engine

    late = attrs.evolve(
        gas, injects=(*gas.injects, attrs.evolve(gas.injects[0], id="late", at=1e5))
    )
    assert engine(late, 0).metrics
    with pytest.raises(CmdsimError, match=r"injects\[5\]\.at: 100,000 min is after the horizon"):
        cmdsim.simulate(late, 0)


def test_replicate_given_a_path_says_to_load_it() -> None:
    with pytest.raises(ScenarioError) as caught:
        replicate("scenarios/gas.yaml", 2)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "replicate() needs a Scenario, got str; load the file first: cmdsim.io.load_scenario(path)"
    )


def test_a_sweep_point_a_file_could_not_give_is_refused_before_anything_runs(
    gas: Scenario,
) -> None:
    runs: list[int] = []

    def progress(done: int, total: int) -> None:
        runs.append(done)

    with pytest.raises(CmdsimError) as caught:
        sweep(gas, [Variation("district.duty_room.staffing.night", (1, 2.5))], 2, progress=progress)
    assert str(caught.value).startswith("district.duty_room.staffing.night=2.5: ")
    assert runs == []


def test_sensitivity_refuses_a_base_built_wrong(gas: Scenario) -> None:
    broken = attrs.evolve(gas, horizon=5)
    with pytest.raises(CmdsimError, match="is not one a file could give"):
        sensitivity(broken, 2, only=("duty_room.staffing",))


def test_two_plans_run_in_python_compare_paired_as_a_sweep_point(gas: Scenario) -> None:
    """Two batches run in Python compare as a sweep compares its points: the
    same numbers as ``sweep`` for the same change."""
    from cmdsim.analysis.sweep import compare_batches

    one = _night(gas, 1)
    base = replicate(gas, 6, seed=4, keep=True, metrics=[LEAD])
    variant = replicate(one, 6, seed=4, keep=True, metrics=[LEAD])
    mine = compare_batches(base, variant, LEAD, label="one at night")
    swept = sweep(gas, [Variation("district.duty_room.staffing.night", (1,))], 6, seed=4)
    point = swept.variants[0]
    assert (mine.mean, mine.diff, mine.diff_ci95) == (point.mean, point.diff, point.diff_ci95)
    differences = variant.column(LEAD) - base.column(LEAD)
    assert mine.diff == pytest.approx(float(differences.mean()), rel=1e-12)
    assert mine.diff != 0.0  # one officer fewer on a holiday evening does change it


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"seed": 5}, "seed 5 against 4"),
        ({"n": 5}, "n 5 against 6"),
        ({"spread_week": True}, "spread_week True against False"),
        ({"horizon": 600.0}, "horizon 600.0 against 2160.0"),
    ],
)
def test_two_batches_that_are_not_the_same_replications_are_not_compared(
    gas: Scenario, change: dict[str, object], said: str
) -> None:
    """A difference of batches with other seeds, counts or clocks was shown
    as a difference of plans (or, for another ``n``, a bare ``zip`` error)."""
    from cmdsim.analysis.sweep import compare_batches

    assert gas.horizon == 2160.0
    base = replicate(gas, 6, seed=4, keep=True, metrics=[LEAD])
    scenario = attrs.evolve(gas, horizon=change["horizon"]) if "horizon" in change else gas
    other = replicate(
        scenario,
        int(change.get("n", 6)),  # type: ignore[call-overload]
        seed=int(change.get("seed", 4)),  # type: ignore[call-overload]
        spread_week=bool(change.get("spread_week", False)),
        keep=True,
        metrics=[LEAD],
    )
    with pytest.raises(CmdsimError) as caught:
        compare_batches(base, other, LEAD, label="plan B")
    assert str(caught.value).startswith(f"plan B: not the base's replications ({said})")


def test_compare_of_columns_of_other_lengths_says_so(gas: Scenario) -> None:
    from cmdsim.analysis.sweep import compare

    base = replicate(gas, 6, seed=4, keep=True, metrics=[LEAD])
    other = replicate(gas, 5, seed=4, keep=True, metrics=[LEAD])
    with pytest.raises(CmdsimError, match="5 replications against a base of 6"):
        compare("plan B", (), base.column(LEAD), other, LEAD)


@pytest.mark.parametrize(
    ("dof", "quantile"),
    # Student's t, 97.5 % (six decimals, as published tables give it).
    [(1, 12.706205), (2, 4.302653), (9, 2.262157), (30, 2.042272), (31, 2.039513),
     (39, 2.022691), (40, 2.021075), (59, 2.000995), (60, 2.000298), (119, 1.980100),
     (120, 1.979930), (500, 1.964720), (10_000, 1.960201)],
)  # fmt: skip
def test_the_t_quantile_behind_every_ci95_is_students(dof: int, quantile: float) -> None:
    """A step table gave 2.021 from 31 to 39 degrees, 2.000 to 59, 1.980 to
    119 and 1.960 beyond: intervals up to 1 % too narrow (94.8 % cover)."""
    from cmdsim.analysis.stats import t975

    assert t975(dof) == pytest.approx(quantile, abs=1e-6)


def test_the_ci95_of_a_batch_sized_sample_covers_95_percent() -> None:
    """Against a long run: 200,000 samples of 41 normal values, the mean's
    interval as ``Accumulator.ci95`` draws it covers the true mean 95 % of
    the time (the old 2.000 covered 94.77 %, 4.7 standard errors short)."""
    import numpy as np

    from cmdsim.analysis.stats import Accumulator, t975

    n, trials = 41, 200_000
    x = np.random.default_rng(11).standard_normal((trials, n))
    half = t975(n - 1) * x.std(axis=1, ddof=1) / np.sqrt(n)
    covered = float((np.abs(x.mean(axis=1)) <= half).mean())
    assert abs(covered - 0.95) < 3 * np.sqrt(0.95 * 0.05 / trials)
    acc = Accumulator()
    for value in x[0]:
        acc.add(float(value))
    low, high = acc.ci95
    assert (high - low) / 2 == pytest.approx(half[0], rel=1e-12)


_SRC = Path(__file__).resolve().parents[1] / "src" / "cmdsim"
_DOCTESTED = sorted(
    p.relative_to(_SRC.parent) for p in _SRC.rglob("*.py") if ">>>" in p.read_text("utf-8")
)


@pytest.mark.parametrize("path", _DOCTESTED, ids=str)
def test_docstring_examples_run_from_anywhere(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Docstring examples were collected nowhere (no ``--doctest-modules``),
    and ``check_metrics``'s loaded ``scenarios/gas.yaml``, which exists only
    in a clone's root: run in a notebook elsewhere, it failed.  Each module's
    examples run here from an empty folder, their temporary files in
    ``tmp_path``."""
    import doctest
    import importlib
    import io
    import tempfile

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    name = ".".join(path.with_suffix("").parts).removesuffix(".__init__")
    module = importlib.import_module(name)
    runner = doctest.DocTestRunner()
    shown = io.StringIO()
    tests = doctest.DocTestFinder().find(module)
    assert any(t.examples for t in tests), f"{name}: no example found"
    for test in tests:
        runner.run(test, out=shown.write)
    assert runner.failures == 0, shown.getvalue()


_TINY = Path(__file__).parent / "analysis" / "data" / "fast_tiny.yaml"


@settings(max_examples=15)
@given(
    n=st.integers(1, 130),
    sizes=st.lists(st.integers(1, 70), min_size=1, max_size=2),
    seed=st.integers(0, 2**32 - 1),
)
def test_the_forced_fast_path_gives_the_same_rows_whatever_the_chunks(
    n: int, sizes: list[int], seed: int
) -> None:
    """One stream per chunk made the forced fast path's rows depend on
    ``chunk_size``: a batch of 40 in chunks of 5 and of 7 had other means.
    Rows come from fixed blocks of 50 now, whatever the chunks."""
    scenario = _tiny()
    runs = [replicate(scenario, n, seed=seed, fast=True, keep=True)]
    runs += [replicate(scenario, n, seed=seed, fast=True, keep=True, chunk_size=s) for s in sizes]
    for other in runs[1:]:
        assert other.columns == runs[0].columns
        assert np.array_equal(other.values, runs[0].values, equal_nan=True)  # type: ignore[arg-type]
        assert other.to_json() == runs[0].to_json()


def test_a_forced_block_is_one_stream_of_fifty() -> None:
    """A chunk on a block's edges draws exactly what it drew before (batches
    of 400 and more, in chunks of 50, keep their numbers)."""
    from cmdsim.analysis.fastpath import chunk_generator, fast_columns

    scenario = _tiny()
    batch = replicate(scenario, 120, seed=9, fast=True, keep=True, chunk_size=50)
    block = fast_columns(scenario, chunk_generator(9, 50, 100), 50)
    for name, column in block.items():
        assert np.array_equal(batch.column(name)[50:100], column, equal_nan=True)


_TINY_SCENARIO: list[Scenario] = []


def _tiny() -> Scenario:
    if not _TINY_SCENARIO:
        _TINY_SCENARIO.append(load_scenario(_TINY))
    return _TINY_SCENARIO[0]


@pytest.mark.parametrize(
    ("call", "said"),
    [
        (lambda s: replicate(s, 2, seed=1.5), "a seed is a non-negative integer, got 1.5"),
        (
            lambda s: replicate(s, 2.5),
            "the number of replications must be a whole number at least 1, got 2.5",
        ),
        (
            lambda s: replicate(s, "20"),
            "the number of replications must be a whole number at least 1, got '20'",
        ),
        (
            lambda s: replicate(s, 2, metrics=LEAD),
            f"metrics= takes a list of metric names, got the string {LEAD!r} "
            f"(write metrics=[{LEAD!r}])",
        ),
        (
            lambda s: replicate(s, 2, 1, 2),
            "executor= takes an executor (SerialExecutor(), ProcessExecutor(2), "
            "DaskExecutor(...) from cmdsim.analysis), got 2",
        ),
        (
            lambda s: replicate(s, 4, chunk_size=-3),
            "chunk_size must be a whole number at least 1, got -3",
        ),
        (
            lambda s: sweep(s, "duty_room.staffing.night=1", 2),
            "variations= takes a list of Variation, got 'duty_room.staffing.night=1' "
            "(write [Variation.parse('PATH=V1,V2')])",
        ),
        (
            lambda s: sweep(s, [Variation("duty_room.staffing.night", 3)], 2),  # type: ignore[arg-type]
            "duty_room.staffing.night: a variation's values are a non-empty tuple, got 3 "
            "(write Variation('duty_room.staffing.night', (value, ...)))",
        ),
        (
            lambda s: sensitivity(s, 2, only="duty_room"),
            "only= takes a list of path prefixes, got the string 'duty_room' "
            "(write only=['duty_room'])",
        ),
        (
            lambda s: sensitivity(s, 2, factors=(2.0,)),
            "factors= takes two positive scales (down, up) such as (0.5, 1.5), got (2.0,)",
        ),
    ],
)
def test_a_notebook_slip_in_the_arguments_says_what_to_write(
    gas: Scenario, call: object, said: str
) -> None:
    """Each was a TypeError from numpy, an AttributeError, a bare zip()
    error, a string read letter by letter (``unknown metric 'i'; unknown
    metric 'n'; …``), or, for ``chunk_size=-3``, a batch of no replication
    summarised as if it were the answer."""
    with pytest.raises(CmdsimError) as caught:
        call(gas)  # type: ignore[operator]
    assert str(caught.value) == said


def test_the_lead_of_a_level_written_as_a_file_writes_it(gas: Scenario) -> None:
    """``level_lead(plan, "II")`` compared a string with the plan's Level
    keys and answered None, "no lead", for every plan."""
    from cmdsim.summary import level_lead

    plan = gas.district.plan("gas_plan")
    assert level_lead(plan, "II") == level_lead(plan, Level.II) == "gas_hq"
    assert level_lead(plan, "Ⅱ级") == "gas_hq"
    with pytest.raises(CmdsimError, match="'V' is not one of IV, III, II, I"):
        level_lead(plan, "V")


@pytest.mark.parametrize("name", ["summarise", "describe"])
def test_a_path_handed_to_the_summary_says_to_load_it(name: str) -> None:
    import cmdsim.summary

    function = getattr(cmdsim.summary, name)
    with pytest.raises(CmdsimError) as caught:
        function("scenarios/gas.yaml")
    assert str(caught.value) == (
        f"{name}() needs a District or a Scenario, got str; "
        "load the file first: cmdsim.io.load(path)"
    )


def test_a_forced_fast_batch_is_not_compared_with_the_engines() -> None:
    """The forced fast path draws its own numbers: against an engine batch of
    the same seed the pairs are no common random numbers."""
    from cmdsim.analysis.sweep import compare_batches

    metric = "incident.leak.hq.gas_hq.activated"
    engine = replicate(_tiny(), 8, seed=3, keep=True, metrics=[metric], fast=False)
    forced = replicate(_tiny(), 8, seed=3, keep=True, metrics=[metric], fast=True)
    with pytest.raises(CmdsimError, match=r"the variant ran the forced fast path \(fast=True\)"):
        compare_batches(engine, forced, metric)
    assert compare_batches(forced, forced, metric).diff == 0.0


def test_simulate_options_given_as_a_dict_says_what_to_write(gas: Scenario) -> None:
    """``options={"trace": False}`` was an AttributeError from the engine."""
    with pytest.raises(ScenarioError) as caught:
        cmdsim.simulate(gas, 1, options={"trace": False})  # type: ignore[arg-type]
    assert str(caught.value) == (
        "options= takes a cmdsim.sim.SimOptions, got dict (write options=SimOptions(trace=False))"
    )


def test_a_checked_plan_cannot_change_in_place_and_its_evolved_copy_is_checked() -> None:
    """A frozen plan's ``levels`` was a dict a notebook could change in place
    after a check; it refuses now, saying how, and the evolved copy it points
    to is a new scenario, checked again."""
    scenario = load_scenario(bundled.path("gas.yaml"))
    check_scenario(scenario)
    plan_index = next(k for k, p in enumerate(scenario.district.plans) if p.id == "gas_plan")
    plan = scenario.district.plans[plan_index]
    before = dict(plan.levels)
    with pytest.raises(TypeError, match=r"attrs\.evolve\(plan, levels=\{\*\*plan\.levels"):
        plan.levels[Level.II] = "junk"  # type: ignore[index]
    assert plan.levels == before
    level, response = next((k, r) for k, r in plan.levels.items() if r.tasks)
    task = attrs.evolve(response.tasks[0], name=3)
    response = attrs.evolve(response, tasks=(task, *response.tasks[1:]))
    changed = attrs.evolve(plan, levels={**plan.levels, level: response})
    plans = list(scenario.district.plans)
    plans[plan_index] = changed
    district = attrs.evolve(scenario.district, plans=tuple(plans))
    with pytest.raises(CmdsimError) as caught:
        replicate(attrs.evolve(scenario, district=district), 2)
    assert (
        f"district.plans[{plan_index}].levels.{level.value}.tasks[0].name: "
        "expected a string, got 3 (int)"
    ) in str(caught.value)
