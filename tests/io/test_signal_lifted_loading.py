"""``signal: lifted`` (解除预警) on a timeline point: loaded, dumped back and
read by the JSON Schema as the loader reads it; a misspelt lift, or a lift
where no signal is in force, is one located problem (file, line, field),
exit 2 from ``validate``, ``check`` and ``run``, no traceback.

The file is ``tests/sim/town_lowering.yaml`` (no includes), whose timeline
ends with ``{at: 30, signal: blue}`` on line 77."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.errors import LoadError
from cmdsim.io import json_schema, load_scenario, to_data
from cmdsim.model import Lift, Signal
from cmdsim.model.levels import Issuer

SOURCE = Path(__file__).parents[1] / "sim" / "town_lowering.yaml"
LAST = "      - {at: 30, signal: blue}     # minute 90\n"
FIRST = "      - {at: -40, signal: blue}    # minute 20\n"
CITY_NONE = (
    "the city's signal is lifted where it has none in force (nothing to lift: a lift "
    "ends only its issuer's own signal; give a colour first, or leave the lift out)"
)


def written(tmp_path: Path, old: str, new: str) -> Path:
    text = SOURCE.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "lift.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_lift_loads_dumps_back_and_validates(tmp_path: Path) -> None:
    path = written(tmp_path, LAST, LAST + "      - {at: 60, signal: lifted, issuer: city}\n")
    scenario = load_scenario(path)
    points = scenario.incidents[0].timeline
    assert [p.signal for p in points] == [
        Signal.BLUE,
        Signal.YELLOW,
        None,
        Signal.BLUE,
        Lift.LIFTED,
    ]
    assert points[-1].issuer is Issuer.CITY
    data = to_data(scenario)
    assert data["incidents"][0]["timeline"][-1] == {
        "at": 60.0,
        "signal": "lifted",
        "issuer": "city",
    }
    # The schema takes what the loader takes (the file as plain data).
    validator = jsonschema.Draft202012Validator(json_schema())
    assert list(validator.iter_errors(data)) == []
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0


def test_the_schema_refuses_what_the_loader_refuses() -> None:
    schema = json_schema()
    point = jsonschema.Draft202012Validator(
        {"$defs": schema["$defs"], "$ref": "#/$defs/SeverityPoint"}
    )
    assert point.is_valid({"at": 10, "signal": "lifted"})
    assert point.is_valid({"at": 10, "signal": "Orange"})
    assert not point.is_valid({"at": 10, "signal": "lifed"})
    assert not point.is_valid({"at": 10, "signal": "cancelled"})


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            LAST,
            LAST + "      - {at: 60, signal: lifed}\n",
            "lift.yaml:78:26: incidents[0].timeline[4].signal: 'lifed' is not one of "
            "blue, yellow, orange, red, lifted (did you mean 'lifted'?)",
        ),
        (
            FIRST,
            "      - {at: -50, signal: lifted}\n" + FIRST,
            "lift.yaml:74:19: incidents[0].timeline[0].signal: " + CITY_NONE,
        ),
        (
            LAST,
            LAST + "      - {at: 60, signal: lifted}\n" + "      - {at: 70, signal: lifted}\n",
            "lift.yaml:79:18: incidents[0].timeline[5].signal: " + CITY_NONE,
        ),
        (
            # Each issuer's warning is its own: the district station cannot
            # lift the city's blue (the timeline's signals are all the city's).
            LAST,
            LAST + "      - {at: 60, signal: lifted, issuer: district}\n",
            "lift.yaml:78:18: incidents[0].timeline[4].signal: the district station's signal "
            "is lifted where it has none in force (nothing to lift: a lift ends only its "
            "issuer's own signal; give a colour first, or leave the lift out)",
        ),
    ],
    ids=["misspelt", "before-any-signal", "lifted-twice", "another-issuers-signal"],
)
def test_a_bad_lift_is_located_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, expected: str
) -> None:
    path = written(tmp_path, old, new)
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "check", "run"):
        result = CliRunner().invoke(main, [command, path.name])
        assert result.exit_code == 2, (command, result.output)
        assert result.stderr.splitlines() == [expected], command
        assert "Traceback" not in result.output
    with pytest.raises(LoadError) as caught:
        load_scenario(path.name)
    assert [str(p) for p in caught.value.problems] == [expected]


def test_a_condition_cannot_name_a_lift() -> None:
    # "lifted" is no colour: a trigger cannot compare a signal with it.
    from cmdsim.model import Condition

    with pytest.raises(ValueError, match="lifted"):
        Condition.parse("signal >= lifted")
