"""Serve the gas drill to browsers and drive one decision over HTTP.

Starts ``cmdsim serve``'s server (as ``cmdsim serve scenarios/gas.yaml
--msel scenarios/msel/gas.yaml --play duty-room --log …`` would) on a free
port in a background thread, then does what the facilitator's and the duty
room's pages do: the facilitator runs the clock to the duty room's first
decision; the duty room reads what it knows and the options the plan allows
(never the plan's own answer) and decides with a rationale; the facilitator
reports a second leak (an inject with a hazard and a town) and ends the
exercise.  The log, written as things happened, then replays byte
for byte.  Runs with no arguments and writes into a temporary directory.
"""

from __future__ import annotations

import json
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from cmdsim import bundled
from cmdsim.exercise.run import replay_exercise
from cmdsim.serve.server import Running, open_session

# The bundled drill, wherever cmdsim is installed (a clone or a wheel).
GAS = bundled.path("gas.yaml")


def call(url: str, payload: dict[str, Any] | None = None) -> Any:
    """GET (or POST ``payload`` as JSON) and read the JSON answer."""
    data = None if payload is None else json.dumps(payload).encode("utf-8")
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "gas-served.jsonl"
        session = open_session(
            log=log,
            scenario_path=GAS,
            msel_path=bundled.path("msel/gas.yaml"),
            play=["duty-room"],
            seed=1,
        )
        with Running(session, port=0) as base:
            links = session.links(base)
            facilitator = links["facilitator"].replace("/f/", "/api/")
            duty_room = links["duty-room"].replace("/p/", "/api/")
            print("facilitator's page:", links["facilitator"])
            print("duty room's page:  ", links["duty-room"])

            call(f"{facilitator}/clock", {"action": "decision"})
            seen = call(f"{duty_room}/state")
            waiting = seen["waiting"]
            print(f"{seen['clock']['elapsed']} the duty room must decide on {waiting['incident']}")
            print("  it knows:", waiting["known"])
            print("  levels:", waiting["levels"], " HQs:", [hq["id"] for hq in waiting["hqs"]])
            answer = call(
                f"{duty_room}/decide",
                {
                    "key": waiting["key"],
                    "level": "II",
                    "activate": ["gas_hq", "fire_hq"],
                    "rationale": "300 households near the leak: go higher than the triggers",
                    "player": "duty officer",
                },
            )
            print(" ", answer["ok"])
            # The facilitator reports a second leak over HTTP: hazard and town
            # by the names the district files give them.  A misspelt town is
            # refused (422) naming the field, and nothing is logged.
            # It states figures as an MSEL inject can (the page's field sends
            # them as text: "serious_injuries: 2; households: 300").
            report = {"message": "Second gas smell, Sanlin market", "to": "duty-room"}
            report |= {"hazard": "燃气事故", "town": "三林镇", "minutes": 10}
            report |= {"figures": {"serious_injuries": 2, "households": 300}}
            print(" ", call(f"{facilitator}/inject", report)["ok"])
            for wrong in ({"town": "三林"}, {"figures": {"households": -300}}):
                try:
                    call(f"{facilitator}/inject", {**report, **wrong})
                except urllib.error.HTTPError as refused:
                    body = json.load(refused)
                    print(f"  refused ({refused.code}, field {body['field']}): {body['error']}")
            plan = call(f"{facilitator}/state")["waiting"]
            print("the next decision waiting (facilitator's view):", plan and plan["key"])
            call(f"{facilitator}/end", {})

        records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        decided = [r for r in records if r["type"] == "decision"]
        print(f"log: {len(records)} records; decisions: {[(r['key'], r['by']) for r in decided]}")
        again = replay_exercise(log, GAS)
        assert again.log_text(log) == log.read_text(encoding="utf-8"), "the replay differs"
        print("the replay is the same log, byte for byte")


if __name__ == "__main__":
    main()
