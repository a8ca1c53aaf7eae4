"""The report's sections as plain tables, for the formats without a
template (Markdown and Word): the same sections, columns and cells as the
HTML, from the same language view (:mod:`cmdsim.report.localize`)."""

from __future__ import annotations

from typing import Any

import attrs

from cmdsim.report.numbers import fmt, percentile_cell


@attrs.define
class Table:
    header: list[str]
    rows: list[list[Any]]
    caption: str = ""


@attrs.define
class Section:
    title: str
    level: int = 2
    paragraphs: list[str] = attrs.field(factory=list)
    lists: list[list[str]] = attrs.field(factory=list)
    tables: list[Table] = attrs.field(factory=list)


def sections(r: dict[str, Any], L: dict[str, str]) -> list[Section]:
    """Every section of the report ``r`` (a language view), in order."""
    out: list[Section] = []
    head = Section(L["title"], level=1)
    title = r.get("scenario_title") or "–"
    meta = f"{L['scenario']}: {title} · {L['source']}: {L['kind.' + r['kind']]}"
    if r.get("start_text"):
        meta += f" · {L['start']}: {r['start_text']}"
    if r.get("seed") is not None:
        meta += f" · {L['seed']}: {r['seed']}"
    head.paragraphs.append(meta)
    if r.get("run_as_text"):
        # How the result was run, before any figure it qualifies.
        head.paragraphs.append(f"{L['run_as']}: {r['run_as_text']}")
    if r.get("batch_run_as_text"):
        head.paragraphs.append(f"{L['run_as.batch']}: {r['batch_run_as_text']}")
    out.append(head)
    if r.get("replay_notes"):
        # Said before anything else: every figure below is the replay's.
        sec = Section(L["replay"], paragraphs=[L["replay.accepted"]])
        sec.lists.append(list(r["replay_notes"]))
        out.append(sec)
    facts = r.get("facts")
    if facts:
        sec = Section(L["facts"])
        sec.tables.append(
            Table(
                [L["fact"], L["fact.entry"]],
                [
                    [L["date"], facts.get("date") or ""],
                    [L["place"], facts.get("place") or ""],
                    [L["facilitator"], facts.get("facilitator") or ""],
                ],
            )
        )
        sec.tables.append(
            Table(
                [L["participant"], L["unit"], L["role"]],
                [
                    [p.get("name") or "", p.get("unit") or "", p["role_name"]]
                    for p in facts["participants"]
                ],
                caption=L["participants"],
            )
        )
        sec.paragraphs.append(f"{L['notes']}: {facts.get('notes') or ''}")
        if facts.get("observations"):
            sec.paragraphs.append(L["observations"])
            sec.lists.append(list(facts["observations"]))
        out.append(sec)
    # A comparison's metric is the batch's, from onset: "never negative" would be false.
    note = L["origin.note.comparison"] if r.get("comparison") else L["origin.note"]
    sec = Section(L["summary"], paragraphs=[note])
    sec.tables.append(
        Table([L["measure"], L["value"]], [[L.get(k, k), v] for k, v in r["summary"].items()])
    )
    out.append(sec)
    comp = r.get("comparison")
    if comp:
        sec = Section(L["comparison"], paragraphs=[L[f"comparison.{comp['mode']}"]])
        if comp["mode"] == "sweep":
            sec.tables.append(
                Table(
                    [L["variant"], L["mean"], L["diff"], L["ci95"], L["never"]],
                    [
                        [
                            x["label"],
                            x["mean"],
                            x["diff"],
                            f"{fmt(x['low'])} … {fmt(x['high'])}",
                            x["missing"],
                        ]
                        for x in comp["rows"]
                    ],
                )
            )
        else:
            sec.tables.append(
                Table(
                    [L["parameter"], L["low"], L["high"], L["swing"]],
                    [[x["label"], x["low"], x["high"], x["swing"]] for x in comp["rows"]],
                )
            )
        out.append(sec)
    title = L["representative"] if r.get("representative") else L["timeline"]
    sec = Section(title, paragraphs=[L["timeline.note"]])
    if r.get("representative"):
        sec.paragraphs.append(r["representative"]["note"])
    lanes = {lane["id"]: lane["label"] for lane in r["timeline"]["lanes"]}
    rows: list[list[Any]] = [
        [lanes.get(b["lane"], b["lane"]), b["label"], b["start_clock"], b["end_clock"]]
        for b in r["timeline"]["bars"]
    ]
    rows += [
        [lanes.get(m["lane"], m["lane"]), m["label"], m["clock"], ""]
        for m in r["timeline"]["markers"]
    ]
    sec.tables.append(Table([L["lane"], L["event"], L["time"], L["timeline.end"]], rows))
    out.append(sec)
    if r.get("injects"):
        sec = Section(L["injects"], paragraphs=[L["injects.note"]])
        sec.tables.append(
            Table(
                [L["time"], L["inject"], L["expect"], L["objective"], L["happened"], L["rating"]],
                [
                    [
                        i["clock"],
                        f"{i['id']} {i['from_name']} → {i['to_name']}: {i['message_text']}",
                        i["expect_text"],
                        i["objective_text"],
                        "; ".join(i["happened"]) or L["happened.none"],
                        i["status_name"]
                        + (f" ({i['rated_by_name']})" if i.get("rated_by_name") else ""),
                    ]
                    for i in r["injects"]
                ],
            )
        )
        out.append(sec)
    if r["activations"]:
        sec = Section(L["activations"])
        sec.tables.append(
            Table(
                [
                    L["command"],
                    L["incident"],
                    L["level"],
                    L["required"],
                    L["notified"],
                    L["activated"],
                    L["origin"],
                    L["delay"],
                ],
                [
                    [
                        a["command_name"],
                        a["incident_name"],
                        a["level_name"],
                        a["required_name"],
                        a["notified_clock"],
                        a["activated_clock"],
                        a["origin_text"],
                        a.get("delay"),
                    ]
                    for a in r["activations"]
                ],
            )
        )
        out.append(sec)
    sec = Section(L["distributions"])
    if r["distributions"]:
        keys = ["n", "mean", "p50", "p90", "p95", "min", "max"]
        sec.tables.append(
            Table(
                [L["measure"]] + [L[k] for k in keys],
                [[d["title"]] + [percentile_cell(d, k) for k in keys] for d in r["distributions"]],
            )
        )
        if r.get("distributions_thin"):
            sec.paragraphs.append(r["distributions_thin"])
    else:
        sec.paragraphs.append(L["distributions.none"])
    out.append(sec)
    sec = Section(L["deadlines"])
    c = r["compliance"]
    if r.get("unmeasured"):
        sec.paragraphs.append(L["unmeasured"])
    else:
        sec.tables.append(
            Table(
                [
                    L["compliance.total"],
                    L["compliance.met"],
                    L["compliance.missed"],
                    L["compliance.rate"],
                ],
                [[c["total"], c["met"], c["missed"], c["rate"]]],
            )
        )
    if r["deadlines"]:
        rated = any("rate" in d for d in r["deadlines"])
        header = [L["deadline"], L["incident"], L["due"], L["done"], L["slack"], L["status"]]
        sec.tables.append(
            Table(
                header + ([L["rate"]] if rated else []),
                [
                    [
                        d["deadline_name"],
                        d["incident_name"],
                        d["due_clock"],
                        d["done_clock"],
                        d.get("slack"),
                        d["status_name"],
                    ]
                    + ([d.get("rate")] if rated else [])
                    for d in r["deadlines"]
                ],
            )
        )
    out.append(sec)
    if r.get("criteria"):
        sec = Section(L["criteria"])
        sec.tables.append(
            Table(
                [L["criterion"], L["status"], L["elapsed"]],
                [[x["text"], x["status_name"], x.get("elapsed")] for x in r["criteria"]],
            )
        )
        out.append(sec)
    if r.get("decisions"):
        sec = Section(L["decisions"])
        sec.tables.append(
            Table(
                [L["time"], L["actor"], L["event"], L["rationale"]],
                [
                    [d["clock"], d["actor_name"], d["text"], d.get("rationale_text") or ""]
                    for d in r["decisions"]
                ],
            )
        )
        out.append(sec)
    sec = Section(L["coverage"])
    cov = r.get("coverage")
    if cov:
        sec.tables.append(
            Table(
                [L["coverage.corner"], *list(cov.get("column_names") or cov["columns"])],
                [[row, *cov["cell_names"][i]] for i, row in enumerate(cov["row_names"])],
            )
        )
        if cov.get("omitted_towns"):
            sec.paragraphs.append(L["coverage.omitted"].format(n=cov["omitted_towns"]))
    else:
        sec.paragraphs.append(L["coverage.none"])
    out.append(sec)
    sec = Section(L["findings"])
    if r["findings"]:
        sec.tables.append(
            Table(
                [L["severity"], L["code"], L["message"], L["where"]],
                [
                    [x["severity_name"], x["code"], x["text"], x.get("path") or ""]
                    for x in r["findings"]
                ],
            )
        )
    else:
        sec.paragraphs.append(L["findings.none"] if cov else L["coverage.none"])
    out.append(sec)
    sec = Section(L["improvements"])
    if not r["improvements"]:
        sec.paragraphs.append(L["unmeasured"] if r.get("unmeasured") else L["improvements.none"])
    for n, item in enumerate(r["improvements"], start=1):
        sec.paragraphs.append(f"{n}. {item['what']} — {item['why']}")
        if item.get("path"):
            sec.tables.append(
                Table(
                    [L["time"], L["actor"], L["event"], L["step.delta"]],
                    [
                        [s["clock"], s["actor_name"], s["kind_name"], s.get("gap")]
                        for s in item["path"]
                    ],
                    caption=f"{L['critical_path']} ({n})",
                )
            )
    out.append(sec)
    sec = Section(L["plan"], paragraphs=[L["plan.note"]])
    if r.get("plan"):
        sec.tables.append(
            Table(
                ["#", L["issue"], L["action"], L["capability"], L["responsible"], L["due_date"]],
                [
                    [
                        n,
                        p["issue_text"],
                        p["action_text"],
                        p["capability_text"],
                        p["unit_name"],
                        p["due_text"],
                    ]
                    for n, p in enumerate(r["plan"], start=1)
                ],
            )
        )
    else:
        sec.paragraphs.append(L["unmeasured"] if r.get("unmeasured") else L["improvements.none"])
    out.append(sec)
    if facts:
        sec = Section(L["signoff"])
        sec.tables.append(
            Table(
                [L["signoff.title"], L["signoff.name"], L["signoff.signature"], L["signoff.date"]],
                [
                    [s["title_name"], s.get("name") or "", "", s.get("date") or ""]
                    for s in facts["signoff"]
                ],
            )
        )
        out.append(sec)
    return out
