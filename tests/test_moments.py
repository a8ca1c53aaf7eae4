"""One moment of a run reads alike wherever a person reads it.

Before, each place wrote a run's times its own way: ``cmdsim run`` and the
console's event lines ``00:02 +1d``, the served pages ``00:02 (+1 day)``,
a replay's divergence ``00:02 (+1 day)``, the console's decision prompt
``09-20 00:02``; the report rounded (``00:03``) where the others cut
(``00:02``), so an event at 242.97 min was 00:02 in the run's timeline and
00:03 in its report.  Now :mod:`cmdsim.sim.moments` owns each form.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.cli import main
from cmdsim.sim.moments import calendar, clock, dated, elapsed, off_day, wall

NIGHT = dt.datetime(2024, 9, 19, 20, 0)  # flood-typhoon.yaml's start


def test_each_form_exactly() -> None:
    assert clock(NIGHT, 0) == "20:00"
    assert clock(NIGHT, 59.75) == "20:59"  # a wall clock at 20:59:45 reads 20:59
    assert clock(NIGHT, 59.97) == "21:00"  # 60.0 min to the tenth, as a report shows it
    assert clock(NIGHT, 242.967737) == "00:03 +1d"
    assert clock(NIGHT, 242.967737, seconds=True) == "00:02:58 +1d"
    assert clock(NIGHT, 1440 * 2 + 5) == "20:05 +2d"
    assert clock(NIGHT, -1201) == "23:59 -1d"
    assert clock(None, 95.5) == "T+01:35"
    assert elapsed(299.99) == "T+05:00" and elapsed(299.9) == "T+04:59"
    assert elapsed(95.5, "zh") == "开始后01:35"
    assert dated(NIGHT, 242.967737) == "09-20 00:03"
    assert dated(NIGHT, 242.967737, "zh") == "9月20日 00:03"
    assert dated(NIGHT, 242.967737, with_date=False) == "00:03"
    assert dated(NIGHT, 200) == "23:20"  # the start's day: no date
    assert calendar(NIGHT) == "2024-09-19 20:00"
    assert calendar(NIGHT, "zh") == "2024年9月19日 20:00"
    assert wall(NIGHT, 239.97) == dt.datetime(2024, 9, 20, 0, 0)
    assert off_day(NIGHT, 239.9) == 0 and off_day(NIGHT, 239.97) == 1


def _cli(*args: str, typed: str | None = None) -> str:
    result = CliRunner().invoke(main, list(args), input=typed)
    assert result.exit_code == 0, result.output
    return result.output


DRILLS: dict[str, dict[str, Any]] = {
    # from 20:00 across midnight: an event at 242.967737 min
    "flood-typhoon.yaml": {
        "time": 242.967737,
        "line": "00:03 +1d  [high_tide_overtopping] 区水务局 (海洋局): task_done  "
        "clock=activation deadline=preposition_pumps within=90.0",
        "console": "00:03 +1d  water_authority [high_tide_overtopping]  task_done  "
        "clock=activation, deadline=preposition_pumps, within=90.0",
        "report": ("09-20 00:03", "9月20日 00:03"),
        "start": ("2024-09-19 20:00", "2024年9月19日 20:00"),
        "step": 300,
        "header": "T+05:00  2024-09-20 01:00",
        "end": "T+12:00  2024-09-20 08:00",
    },
    # two days, 07:30 to 19:30 the next: public information done at 994.425917 min
    "typhoon-landfall.yaml": {
        "time": 994.425917,
        "line": "00:04 +1d  [typhoon_bebinca] 区委宣传部 (新闻发布): task_done  "
        "clock=aware deadline=public_information within=300.0",
        "console": "00:04 +1d  propaganda [typhoon_bebinca]  task_done  "
        "clock=aware, deadline=public_information, within=300.0",
        "report": ("09-16 00:04", "9月16日 00:04"),
        "start": ("2024-09-15 07:30", "2024年9月15日 07:30"),
        "step": 1000,
        "header": "T+16:40  2024-09-16 00:10",
        "end": "T+36:00  2024-09-16 19:30",
    },
}


@pytest.mark.parametrize("drill", sorted(DRILLS))
def test_one_moment_in_run_console_served_pages_and_report(tmp_path: Path, drill: str) -> None:
    want = DRILLS[drill]
    path = bundled.path(drill)
    out = tmp_path / "run"
    _cli("run", str(path), "--seed", "0", "--out", str(out))
    assert want["line"] in (out / "timeline.txt").read_text(encoding="utf-8").splitlines()

    for lang, shown, start in zip(("en", "zh"), want["report"], want["start"], strict=True):
        report = json.loads(_cli("report", str(out), "--format", "json", "--lang", lang))
        assert report["start_text"] == start
        at = [
            m["clock"] for m in report["timeline"]["markers"] if m["time"] == round(want["time"], 1)
        ]
        assert at and set(at) == {shown}, (lang, at)

    console = _cli(
        "drill",
        str(path),
        "--seed",
        "0",
        "--log",
        str(tmp_path / "drill.jsonl"),
        typed=f"s {want['step']}\nq\n",
    )
    assert want["console"] in console.splitlines()
    assert want["header"] in console.splitlines()

    pytest.importorskip("starlette")
    from cmdsim.serve.server import open_session

    # ended, the rest decided by the plan as `cmdsim run` decides
    session = open_session(
        log=tmp_path / "served.jsonl", scenario_path=path, seed=0, play=["general-hq"]
    )
    session.end()
    view = session.facilitator_view()
    assert f"{view['clock']['elapsed']}  {view['clock']['when']}" == want["end"]
    rows = [row["clock"] for row in view["feed"] if row["time"] == want["time"]]
    assert rows and set(rows) == {want["line"].split("  ")[0]}


def test_show_gives_the_start_and_onsets_as_a_report_does() -> None:
    """``cmdsim show`` printed the start as an ISO stamp (``2024-09-19T20:00:00``)
    and every onset with its date; now as the report's head and tables do."""
    path = str(bundled.path("flood-typhoon.yaml"))
    en = _cli("show", path).splitlines()
    assert "start 2024-09-19 20:00, horizon 720 min, 6 injects" in en
    onsets = {line.split()[0]: line.split()[3:5] for line in en if "flood_typhoon_plan:" in line}
    assert onsets["typhoon_rainstorm"][0] == "23:00"
    assert onsets["high_tide_overtopping"] == ["09-20", "04:30"]
    zh = _cli("show", path, "--lang", "zh")
    assert "开始 2024年9月19日 20:00，时长 720 分钟，注入 6 条" in zh.splitlines()
    assert "nanhui_xincheng_town   9月20日 04:30" in zh
