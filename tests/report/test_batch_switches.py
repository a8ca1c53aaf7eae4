"""A batch run with switches can be reported and resumed: its manifest
records the scenario switches (``--no-injects``, ``--truth-reported``,
``--no-town-plans``), so what reloads its scenario applies them again before
comparing digests; the report says how the batch was run, in every format."""

from __future__ import annotations

import io
import json
import shutil
from itertools import combinations
from pathlib import Path

import pytest
from click.testing import CliRunner

from cmdsim import bundled
from cmdsim.analysis import replicate
from cmdsim.cli import main
from cmdsim.io import load_scenario, scenario_digest
from cmdsim.model.switches import NAMES, apply_switches, flag

EN = {
    "no_injects": "the injects left out (--no-injects)",
    "truth_reported": "every channel reporting the truth at once (--truth-reported)",
    "no_town_plans": "the towns' plans left out (--no-town-plans)",
}
ZH = {
    "no_injects": "不含演练注入信息（--no-injects）",
    "truth_reported": "各报告渠道即时如实报告（--truth-reported）",
    "no_town_plans": "不含街镇预案（--no-town-plans）",
}


@pytest.fixture
def drill(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled gas drill and its district, copied so a test may edit it
    (from tmp_path, where no other copy is found by its digest)."""
    monkeypatch.chdir(tmp_path)
    here = tmp_path / "scenarios"
    shutil.copytree(bundled.path("gas.yaml").parent, here)
    return here / "gas.yaml"


def _batch(path: Path, out: Path, *options: str) -> None:
    args = ["batch", str(path), "-n", "4", "--chunk-size", "2", "--out", str(out), "--no-progress"]
    result = CliRunner().invoke(main, [*args, *options])
    assert result.exit_code == 0, result.output


def _report(result: Path, *options: str) -> tuple[int, str]:
    outcome = CliRunner().invoke(main, ["report", str(result), *options])
    return outcome.exit_code, outcome.output


def _docx_text(path: Path) -> str:
    from docx import Document

    return "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)


@pytest.mark.parametrize("name", NAMES)
def test_a_switched_batch_is_reported_saying_how_it_ran(
    name: str, drill: Path, tmp_path: Path
) -> None:
    out = tmp_path / "batch"
    _batch(drill, out, flag(name))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest[name] is True
    assert [k for k in NAMES if k in manifest] == [name]
    switched = apply_switches(load_scenario(drill), [name])
    assert manifest["scenario_digest"] == scenario_digest(switched)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["switches"] == {name: True}
    for lang, words in (("en", EN), ("zh", ZH)):
        label = "Run with" if lang == "en" else "运行方式"
        code, text = _report(out, "--format", "md", "--lang", lang)
        assert code == 0, text
        assert f"{label}: {words[name]}" in text
        code, html = _report(out, "--format", "html", "--lang", lang)
        assert code == 0, html
        shown = words[name].replace("'", "&#39;")
        assert f'<p class="meta run-as">{label}: {shown}</p>' in html
        docx = tmp_path / f"{name}-{lang}.docx"
        code, said = _report(out, "-o", str(docx), "--lang", lang)
        assert code == 0, said
        assert f"{label}: {words[name]}" in _docx_text(docx)
    # The original file, given, is the batch's scenario once switched.
    code, text = _report(out, "--scenario", str(drill), "--format", "json")
    assert code == 0, text
    data = json.loads(text)
    assert data["run_as"] == {name: True}
    assert data["representative"]["reproduced"] is True


def test_a_plain_batch_says_nothing_of_how_it_ran(drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    _batch(drill, out)
    assert not set(NAMES) & set(json.loads((out / "manifest.json").read_text()))
    assert "switches" not in json.loads((out / "summary.json").read_text())
    code, text = _report(out, "--format", "md")
    assert code == 0, text
    assert "Run with" not in text
    assert "run_as" not in json.loads(_report(out, "--format", "json")[1])


def test_the_batch_options_are_said_too(drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    metric = "incident.gas_main_rupture.aware"
    options = ["--no-town-plans", "--truth-reported", "--unlimited-capacity", "--spread-week"]
    _batch(drill, out, *options, "--metric", metric, "--no-fast")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["switches"] == {
        "fast": False,
        "metrics": [metric],
        "no_town_plans": True,
        "spread_week": True,
        "truth_reported": True,
        "unlimited_capacity": True,
    }
    code, text = _report(out, "--format", "md")
    assert code == 0, text
    assert (
        "Run with: every channel reporting the truth at once (--truth-reported); "
        "the towns' plans left out (--no-town-plans); duty rooms, units and resources "
        "unlimited (--unlimited-capacity); each replication shifted within a week "
        "(--spread-week); only 1 metrics kept (--metric); the engine forced (--no-fast)"
    ) in text
    code, text = _report(out, "--format", "md", "--lang", "zh")
    assert "仅保留1项指标（--metric）；强制使用离散事件引擎（--no-fast）" in text
    fast = tmp_path / "fast"
    _batch(drill, fast, "--no-town-plans", "--fast")
    code, text = _report(fast, "--format", "md")
    assert code == 0, text
    assert "(--no-town-plans); the fast path forced, with its own random numbers (--fast)" in text


def test_an_edited_scenario_is_still_refused(drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    _batch(drill, out, "--no-town-plans")
    text = drill.read_text(encoding="utf-8")
    edited = text.replace("horizon: ", "horizon: 1", 1)
    assert edited != text
    drill.write_text(edited, encoding="utf-8")
    code, said = _report(out, "--format", "md")
    assert code == 2
    assert "(changed since); give the original with --scenario FILE" in said
    assert "does not record" not in said
    code, said = _report(out, "--scenario", str(drill), "--format", "md")
    assert code == 2
    assert "is not the one it was made from (its content differs)" in said


def test_another_set_of_switches_is_another_scenario(drill: Path, tmp_path: Path) -> None:
    """The digest still tells the switches apart: a batch without injects
    is not reported as the one with every switch."""
    out = tmp_path / "batch"
    _batch(drill, out, "--no-injects")
    manifest = out / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["no_town_plans"] = True  # a record that is wrong
    manifest.write_text(json.dumps(data), encoding="utf-8")
    code, said = _report(out, "--format", "md")
    assert code == 2 and "(changed since)" in said


def _as_an_older_cmdsim_wrote_it(folder: Path) -> None:
    """The manifest and summary without the switches' record (before this
    version, a switched batch stored only the switched scenario's digest)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for name in NAMES:
        manifest.pop(name, None)
    text = json.dumps(manifest, sort_keys=True, indent=2) + "\n"
    (folder / "manifest.json").write_text(text, encoding="utf-8")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary.pop("switches", None)
    (folder / "summary.json").write_text(json.dumps(summary, sort_keys=True), encoding="utf-8")


def test_an_old_manifest_of_a_plain_batch_keeps_working(drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    _batch(drill, out)
    before = _report(out, "--format", "json")
    _as_an_older_cmdsim_wrote_it(out)
    assert _report(out, "--format", "json") == before
    assert before[0] == 0


def test_an_old_manifest_of_a_switched_batch_says_what_to_do(drill: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    _batch(drill, out, "--no-town-plans", "--no-injects")
    _as_an_older_cmdsim_wrote_it(out)
    record = out / "manifest.json"
    code, said = _report(out, "--format", "md")
    assert code == 2
    said = " ".join(said.split())
    assert "the result was made from it with --no-injects --no-town-plans" in said
    assert f'add "no_injects": true, "no_town_plans": true to {record}' in said
    assert "changed since" not in said
    code, said = _report(out, "--scenario", str(drill), "--format", "md")
    assert code == 2
    assert "the scenario given ('gas'): the result was made from it with" in " ".join(said.split())
    # Doing what it says makes the report.
    manifest = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({**manifest, "no_injects": True, "no_town_plans": True}))
    code, text = _report(out, "--format", "md")
    assert code == 0, text
    assert "Run with: the injects left out (--no-injects); the towns' plans left out" in text


def test_resume_of_a_switched_batch_gives_the_uninterrupted_bytes(
    drill: Path, tmp_path: Path
) -> None:
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    options = ["--no-town-plans", "--truth-reported"]
    _batch(drill, whole, *options)
    _batch(drill, broken, *options)
    # A crash after the first chunk: the second part and the outputs gone.
    (broken / "parts" / "chunk-000001.json").unlink()
    for name in ("summary.json", "replications.csv", "replications.parquet"):
        (broken / name).unlink(missing_ok=True)
    _batch(drill, broken, *options, "--resume")
    for name in ("manifest.json", "summary.json", "replications.csv", "replications.parquet"):
        if (whole / name).exists() or name != "replications.parquet":
            assert (broken / name).read_bytes() == (whole / name).read_bytes(), name
    # Another set of switches is another batch.
    args = ["batch", str(drill), "-n", "4", "--chunk-size", "2", "--out", str(broken)]
    other = CliRunner().invoke(main, [*args, "--resume", "--no-town-plans", "--no-progress"])
    assert other.exit_code == 2
    assert "holds a different batch" in other.stderr
    # The switch by the flag typed, not by its key in the manifest.
    said = " ".join(other.stderr.split())
    assert "--truth-reported on in the directory, off now)" in said, said
    assert "truth_reported" not in said


def test_resume_of_an_old_switched_batch_records_its_switches(drill: Path, tmp_path: Path) -> None:
    """A batch begun before switches were recorded resumes (its digest is
    the switched scenario's) and its manifest gains the record."""
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    scenario = load_scenario(drill)
    kw = {"seed": 2, "chunk_size": 2, "source": str(drill), "no_town_plans": True}
    replicate(scenario, 4, out=whole, **kw)  # type: ignore[arg-type]
    replicate(scenario, 4, out=broken, **kw)  # type: ignore[arg-type]
    _as_an_older_cmdsim_wrote_it(broken)
    (broken / "parts" / "chunk-000000.json").unlink()
    assert "no_town_plans" not in json.loads((broken / "manifest.json").read_text())
    replicate(scenario, 4, out=broken, resume=True, **kw)  # type: ignore[arg-type]
    for name in ("manifest.json", "summary.json", "replications.csv"):
        assert (broken / name).read_bytes() == (whole / name).read_bytes(), name


def test_the_python_api_takes_the_switches_by_the_same_names(drill: Path) -> None:
    scenario = load_scenario(drill)
    result = replicate(scenario, 2, no_town_plans=True, no_injects=True)
    assert result.summary["switches"] == {"no_injects": True, "no_town_plans": True}
    by_hand = replicate(scenario.without_injects().without_town_plans(), 2)
    assert result.summary["metrics"] == by_hand.summary["metrics"]
    from cmdsim.errors import ScenarioError

    with pytest.raises(ScenarioError, match="--no-injects changes nothing in 'gas'"):
        replicate(scenario.without_injects(), 2, no_injects=True)


def test_a_run_without_injects_is_reported(drill: Path, tmp_path: Path) -> None:
    """``cmdsim run --no-injects --out DIR`` recorded the switch but its
    report refused the scenario as changed; now it re-applies it."""
    out = tmp_path / "run"
    ran = CliRunner().invoke(main, ["run", str(drill), "--no-injects", "--out", str(out)])
    assert ran.exit_code == 0, ran.output
    for lang, label in (("en", "Run with"), ("zh", "运行方式")):
        code, text = _report(out, "--format", "md", "--lang", lang)
        assert code == 0, text
        assert f"{label}: {(EN if lang == 'en' else ZH)['no_injects']}" in text


def test_a_switched_batch_added_to_a_run_report_is_said(drill: Path, tmp_path: Path) -> None:
    """``cmdsim report RUN --batch DIR``: the distributions of a "before"
    batch beside a run as shipped are marked as such."""
    run, batch = tmp_path / "run", tmp_path / "batch"
    assert CliRunner().invoke(main, ["run", str(drill), "--out", str(run)]).exit_code == 0
    _batch(drill, batch, "--no-town-plans")
    for lang, label in (
        ("en", "The batch's distributions run with"),
        ("zh", "所附批量运行的运行方式"),
    ):
        code, text = _report(run, "--batch", str(batch), "--format", "md", "--lang", lang)
        assert code == 0, text
        words = (EN if lang == "en" else ZH)["no_town_plans"]
        assert f"{label}: {words}" in text
        # The run itself ran as shipped: no line says otherwise.
        lines = text.splitlines()
        assert not [x for x in lines if x.startswith(("Run with", "运行方式"))]


SUBSETS = [names for size in range(len(NAMES) + 1) for names in combinations(NAMES, size)]


@pytest.mark.parametrize("drill_name", ["gas.yaml", "traffic.yaml"])
def test_only_the_recorded_switches_match_the_digest(drill_name: str) -> None:
    """Over every pair of switch sets (run with, recorded): the scenario is
    found exactly when they are the same set, and then it is the switched
    scenario; a record of none names the set that matches."""
    from cmdsim.errors import LoadError
    from cmdsim.io.finding import locate_scenario

    scenario = load_scenario(bundled.path(drill_name))
    digests = {names: scenario_digest(apply_switches(scenario, names)) for names in SUBSETS}
    assert len(set(digests.values())) == len(SUBSETS)  # every set is another scenario
    for ran in SUBSETS:
        for said in SUBSETS:
            place = Path("batch")
            kw = {"logged": None, "relative": None, "explicit": scenario, "record": "m.json"}
            if ran == said:
                found = locate_scenario(place, digest=digests[ran], switches=said, **kw)
                assert scenario_digest(found) == digests[ran]
                continue
            with pytest.raises(LoadError) as refused:
                locate_scenario(place, digest=digests[ran], switches=said, **kw)
            message = str(refused.value)
            if said == () and ran:
                flags = " ".join(flag(n) for n in ran)
                assert f"the result was made from it with {flags}, which m.json" in message
            else:
                assert "is not the one it was made from (its content differs)" in message
