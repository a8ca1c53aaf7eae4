"""``cmdsim batch``: output directory, errors, and resume after ``kill -9``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from analysis_fakes import small_scenario
from click.testing import CliRunner

from cmdsim.cli import main
from cmdsim.io import dump

ROOT = Path(__file__).resolve().parents[2]

HERE = Path(__file__).parent


def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(dump(small_scenario()), encoding="utf-8")
    return path


def test_batch_writes_the_output_directory(tmp_path: Path) -> None:
    path = scenario_file(tmp_path)
    out = tmp_path / "out"
    args = [
        "batch", str(path), "-n", "20", "--seed", "3", "--out", str(out),
        "--run", "analysis_fakes:fake_run", "--json", "--no-progress",
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["n"] == 20
    assert json.loads((out / "summary.json").read_text()) == printed
    assert (out / "replications.csv").read_text().count("\n") == 21


def test_batch_errors_exit_2(tmp_path: Path) -> None:
    path = scenario_file(tmp_path)
    runner = CliRunner()
    missing = runner.invoke(main, ["batch", str(tmp_path / "nope.yaml"), "-n", "2"])
    assert missing.exit_code == 2
    no_out = runner.invoke(main, ["batch", str(path), "--resume"])
    assert no_out.exit_code == 2 and "--resume needs --out" in no_out.stderr
    bad_run = runner.invoke(main, ["batch", str(path), "--run", "nowhere:nothing"])
    assert bad_run.exit_code == 2 and "--run nowhere:nothing" in bad_run.stderr
    out = tmp_path / "out"
    fake = ["--run", "analysis_fakes:fake_run", "--no-progress", "--out", str(out)]
    assert runner.invoke(main, ["batch", str(path), "-n", "4", *fake]).exit_code == 0
    other = runner.invoke(main, ["batch", str(path), "-n", "5", "--resume", *fake])
    assert other.exit_code == 2
    assert "different batch" in other.stderr and "n: 4" in other.stderr


def _batch_command(path: Path, out: Path) -> list[str]:
    return [
        sys.executable, "-c", "from cmdsim.cli import main; main()",
        "batch", str(path), "-n", "120", "--seed", "11",
        "--chunk-size", "6", "--out", str(out), "--run", "analysis_fakes:slow_run",
        "--no-progress",
    ]  # fmt: skip


def test_resume_after_sigkill_gives_identical_files(tmp_path: Path) -> None:
    """Kill -9 a batch stalled after its fifth chunk; the resumed batch writes
    the same bytes as one that ran through.

    Replication 30 (the first of chunk 5, six a chunk) never finishes, so the
    count of chunks written is fixed by the batch, not by how fast the machine
    is: exactly five, however long the test waits before the kill.
    """
    path = scenario_file(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(HERE), "CMDSIM_TEST_DELAY": "0"}
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    subprocess.run(_batch_command(path, whole), env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        _batch_command(path, killed),
        env={**env, "CMDSIM_TEST_STALL_AT": "30"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parts = killed / "parts"
    try:
        # Only a guard against a hang: the count below does not depend on it.
        for _ in range(6000):
            if len(list(parts.glob("chunk-*.json"))) >= 5 or process.poll() is not None:
                break
            time.sleep(0.01)
        time.sleep(0.5)  # a chunk past the stall would have time to appear
        written = sorted(p.name for p in parts.glob("chunk-*.json"))
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL, "the batch ended before it was killed"
    assert len(written) == 5, written
    assert not (killed / "summary.json").exists()
    stamps = {name: (parts / name).stat().st_mtime_ns for name in written}
    resumed = subprocess.run(
        [*_batch_command(path, killed), "--resume"], env=env, capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    # The chunks done before the kill were read back, not run again.
    assert {name: (parts / name).stat().st_mtime_ns for name in written} == stamps
    names = ["summary.json", "replications.csv", "replications.parquet", "manifest.json"]
    for name in names:
        if (whole / name).exists() or name != "replications.parquet":
            assert (killed / name).read_bytes() == (whole / name).read_bytes(), name


def test_sweep_cli_json_and_errors(tmp_path: Path) -> None:
    path = scenario_file(tmp_path)
    runner = CliRunner()
    fake = ["--run", "analysis_fakes:fake_run", "--metric", "incident.leak.hq.gas_hq.activated"]
    args = ["sweep", str(path), "--vary", "duty_room.staffing.night=1,2", "-n", "10", "--json"]
    result = runner.invoke(main, [*args, *fake, "--out", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [v["settings"] for v in data["variants"]] == [
        {"duty_room.staffing.night": 1},
        {"duty_room.staffing.night": 2},
    ]
    assert data["variants"][0]["diff"] == 0.0
    assert json.loads((tmp_path / "s" / "sweep.json").read_text()) == data
    bad = runner.invoke(main, ["sweep", str(path), "--vary", "duty_room.stafing.night=1", *fake])
    assert bad.exit_code == 2 and "did you mean 'staffing'" in bad.stderr
    sens = runner.invoke(main, ["sweep", str(path), "--sensitivity", "-n", "5", "--json", *fake])
    assert sens.exit_code == 0, sens.output
    ranking = json.loads(sens.stdout)["ranking"]
    assert ranking[0]["parameter"] == "district.commands[gas_hq].callout"
    table = runner.invoke(main, ["sweep", str(path), "--sensitivity", "-n", "5", *fake])
    assert table.exit_code == 0 and "what moves" in table.stdout
    neither = runner.invoke(main, ["sweep", str(path)])
    assert neither.exit_code == 2 and "--vary" in neither.stderr
    twice = runner.invoke(main, [*args, *fake, "--metric", "incident.leak.aware"])
    assert twice.exit_code == 2 and "--metric given 2 times" in twice.stderr


def test_table_hides_idle_metrics_and_explains_level_ranks(tmp_path: Path) -> None:
    """The human table leaves out what no replication saw or used, and says so;
    --json keeps every metric."""
    gas = str(ROOT / "scenarios" / "gas.yaml")
    table = CliRunner().invoke(main, ["batch", gas, "-n", "4", "--no-progress"])
    assert table.exit_code == 0, table.output
    data = json.loads(
        CliRunner().invoke(main, ["batch", gas, "-n", "4", "--no-progress", "--json"]).stdout
    )
    idle = [
        k
        for k, s in data["metrics"].items()
        if not k.endswith(".met") and (s["count"] == 0 or s["min"] == s["max"] == 0)
    ]
    assert "utilisation.agriculture" in idle and "wait.beicai_town_duty_room" in idle
    rows = {line.split()[0] for line in table.stdout.splitlines() if line.strip()}
    assert not rows & set(idle)
    # counted apart: never happened, 0 throughout, and not measured (nothing can move it)
    counts = [
        int(line.split()[0])
        for line in table.stdout.splitlines()
        if "metrics not shown" in line and line.split()[0].isdigit()
    ]
    assert len(counts) == 3 and sum(counts) == len(idle)
    assert data["not_measured"] and set(data["not_measured"]) <= set(idle)
    assert "incident.gas_main_rupture.level_decided" in rows
    assert "levels are ranks: 1 = IV" in table.stdout
