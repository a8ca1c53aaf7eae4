"""The report in one language: names from the files, clock times, and
sentences, added to the report's data as ``*_name``, ``*_clock`` and text
fields.  Every renderer (HTML, Markdown, Word, JSON) shows this view, so
they print the same words and numbers.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from cmdsim.model.switches import NAMES
from cmdsim.report.context import (
    calendar_date,
    clock,
    crosses_midnight,
    display_name,
    name_of,
    start_text,
)
from cmdsim.report.labels import labels
from cmdsim.sim.events import EventKind
from cmdsim.sim.moments import elapsed


class _Words:
    """Names, clock times and label templates of one report and language."""

    def __init__(self, report: Mapping[str, Any], lang: str) -> None:
        self.lang = lang
        self.L = labels(lang)
        context = report.get("context") or {}
        self.names: Mapping[str, str] = context.get("names") or {}
        self.start: str | None = context.get("start")
        self.with_date = crosses_midnight(self.start, _times(report))

    def n(self, ident: Any) -> str:
        return name_of(ident, self.names, self.lang)

    def clock(self, minutes: Any) -> str:
        if minutes is None:
            return "–"
        shown = clock(float(minutes), self.start, self.with_date, self.lang)
        return elapsed(float(minutes), self.lang) if shown is None else shown

    def t(self, key: str, **values: Any) -> str:
        return self.L[key].format(**values)

    def level(self, level: Any) -> str:
        return self.t("level.name", level=level) if level else "–"

    def kind(self, kind: str) -> str:
        return self.L.get(f"ek.{kind}", kind.replace("_", " "))

    def mins(self, value: Any) -> str:
        return "–" if value is None else f"{float(value):.1f}"


def _times(report: Mapping[str, Any]) -> list[float]:
    times: list[float] = []
    timeline = report.get("timeline") or {}
    times += [float(b["end"]) for b in timeline.get("bars") or () if b.get("end") is not None]
    times += [float(m["time"]) for m in timeline.get("markers") or ()]
    for a in report.get("activations") or ():
        times += [float(a[k]) for k in ("notified", "activated") if a.get(k) is not None]
    for d in report.get("deadlines") or ():
        times += [float(d[k]) for k in ("due", "done") if d.get(k) is not None]
    return times


def run_as_text(how: Mapping[str, Any], L: Mapping[str, str]) -> str:
    """How a result was run (its switches, :mod:`cmdsim.model.switches` and
    the batch options), in words with each CLI flag; empty when plainly."""
    parts: list[str] = []
    for name in (*NAMES, "unlimited_capacity", "spread_week"):
        if how.get(name) is True:
            parts.append(L[f"run_as.{name}"])
    if isinstance(how.get("metrics"), list):
        parts.append(L["run_as.metrics"].format(n=len(how["metrics"])))
    if how.get("fast") is True:
        parts.append(L["run_as.fast"])
    elif how.get("fast") is False:
        parts.append(L["run_as.no_fast"])
    return L["run_as.separator"].join(parts)


def localize(report: Mapping[str, Any], lang: str = "en") -> dict[str, Any]:
    """The report's data with the display fields of ``lang`` added."""
    r: dict[str, Any] = copy.deepcopy(dict(report))
    moved = (r.get("representative") or {}).get("start")
    if moved and r.get("context"):
        # A week-spread batch ran its representative replication moved in
        # calendar time: the report's clock is that replication's.
        r["context"]["start"] = moved
    w = _Words(r, lang)
    r["lang"] = lang
    context = r.get("context") or {}
    r["scenario_title"] = display_name(context.get("scenario_name"), lang) or r.get("scenario")
    r["clock_with_date"] = w.with_date
    r["start_text"] = start_text(context.get("start"), lang)
    r["run_as_text"] = run_as_text(r.get("run_as") or {}, w.L)
    r["batch_run_as_text"] = run_as_text(r.get("batch_run_as") or {}, w.L)
    for a in r.get("activations") or ():
        a["command_name"] = w.n(a["command"])
        a["incident_name"] = w.n(a.get("incident"))
        a["notified_clock"] = w.clock(a.get("notified"))
        a["activated_clock"] = w.clock(a.get("activated"))
        a["origin_text"] = (
            f"{w.L['basis.' + a.get('basis', 'onset')]} {w.clock(a.get('origin'))}"
            if a.get("origin") is not None
            else "–"
        )
        a["level_name"] = w.level(a.get("level"))
        a["required_name"] = w.level(a.get("required"))
    for d in r.get("deadlines") or ():
        d["deadline_name"] = w.n(d.get("id", "").split(".")[-1] if "rate" in d else d.get("id"))
        if "rate" in d and d.get("incident") is None:
            d["deadline_name"] = d["name"]
        d["incident_name"] = w.n(d.get("incident"))
        d["due_clock"] = w.clock(d.get("due"))
        d["done_clock"] = w.clock(d.get("done"))
        d["status_name"] = w.L.get(d["status"], d["status"])
    for c in r.get("criteria") or ():
        c["status_name"] = w.L.get(c["status"], c["status"])
        c["at_clock"] = w.clock(c.get("at")) if c.get("at") is not None else "–"
    for i in r.get("injects") or ():
        _inject(i, w)
    for d in r.get("decisions") or ():
        _decision(d, w)
    for item in r.get("improvements") or ():
        item["what"], item["why"] = _improvement(item, w)
        for step in item.get("path") or ():
            step["clock"] = w.clock(step["time"])
            step["actor_name"] = w.n(step["actor"]) if step.get("actor") else "–"
            step["kind_name"] = _step_kind(step, w)
    items = {item["id"]: item for item in r.get("improvements") or ()}
    for row in r.get("plan") or ():
        _plan_row(row, items.get(row["id"]), w)
    if r.get("facts"):
        _facts(r["facts"], w)
    for dist in r.get("distributions") or ():
        dist["title"] = _distribution_title(dist, w)
    r["distributions_thin"] = _thin_note(r.get("distributions") or (), w)
    _timeline(r.get("timeline") or {}, w)
    if r.get("representative"):
        r["representative"]["note"] = w.t(
            "representative.note",
            index=r["representative"]["index"],
            seed=r["representative"]["seed"],
        )
    cov = r.get("coverage")
    if cov:
        _coverage(cov, w)
    for f in r.get("findings") or ():
        f["severity_name"] = w.L.get(f"severity.{f['severity']}", f["severity"])
        f["title_name"] = w.L.get(f"finding.{f['code']}", f.get("title") or f["code"])
        f["text"] = f["message"] if lang == "en" else f["title_name"]
        if lang == "zh" and f.get("plan"):
            f["text"] = f"{f['title_name']}（{w.n(f['plan'])}）"
        if f.get("accepted"):
            # Accepted in the district's list: shown, marked; the reason is the
            # district's own words, so the Chinese report names the mark alone.
            mark = w.L.get("finding.accepted", "accepted")
            opening, closing = ("（", "）") if lang == "zh" else (" (", ")")
            f["severity_name"] = f"{f['severity_name']}{opening}{mark}{closing}"
            if lang == "en":
                f["text"] = f"{f['text']} — {mark}: {f['accepted']}"
    return r


def _inject(i: dict[str, Any], w: _Words) -> None:
    i["clock"] = w.clock(i["time"])
    i["from_name"] = display_name(w.names.get(i["from"]) or i["from"], w.lang) or "–"
    i["to_name"] = display_name(w.names.get(i["to"]) or i["to"], w.lang) or "–"
    i["message_text"] = display_name(i["message"], w.lang) or ""
    i["expect_text"] = display_name(i.get("expect"), w.lang) or "–"
    i["objective_text"] = display_name(i.get("objective"), w.lang) or "–"
    i["status_name"] = w.L.get(i["status"], i["status"])
    i["rated_by_name"] = w.L.get(f"rated.{i['rated_by']}", "") if i.get("rated_by") else ""
    lines = [f"{w.clock(e['time'])} {_evidence(e, w)}" for e in i.get("evidence") or ()]
    for c in i.get("criteria") or ():
        lines.append(
            w.t(
                "evidence.criterion",
                criterion=c["criterion"],
                status=w.L.get(c["status"], c["status"]),
                at=w.clock(c["at"]) if c.get("at") is not None else "–",
                deadline=w.clock(c["deadline"]) if c.get("deadline") is not None else "–",
            )
        )
    i["happened"] = lines


def _evidence(e: Mapping[str, Any], w: _Words) -> str:
    kind = e["kind"]
    actor = w.n(e.get("actor"))
    if kind == EventKind.DECISION:
        parts = []
        if e.get("level"):
            parts.append(w.level(e["level"]))
        if e.get("activate"):
            parts.append(w.t("decision.activate", hqs="、".join(w.n(h) for h in e["activate"])))
        if e.get("player"):
            actor = f"{actor}（{e['player']}）" if w.lang == "zh" else f"{actor} ({e['player']})"
        return w.t("ev.decision", actor=actor, what="，".join(parts) or w.kind(kind))
    command = w.n(e.get("command") or e.get("actor"))
    return w.L.get(f"ev.{kind}", "{actor}").format(
        actor=actor,
        level=e.get("level") or "–",
        command=command,
        deadline=w.n(e.get("deadline")) if e.get("deadline") else w.kind(kind),
    ) + (_why(e, w) if kind == EventKind.PLAN_HANDED_BACK else "")


def _why(e: Mapping[str, Any], w: _Words) -> str:
    """Why a case was handed back (``by``: the signal, the lead's
    reassessment, a played lead), in brackets; nothing for older logs."""
    by = e.get("by")
    reason = w.L.get(f"handback.{by}") if by else None
    return w.t("because", why=reason) if reason else ""


def _decision(d: dict[str, Any], w: _Words) -> None:
    d["clock"] = w.clock(d.get("time"))
    d["rationale_text"] = d.get("rationale") or ""
    d["actor_name"] = w.L.get(f"role.{d.get('actor')}", w.n(d.get("actor")))
    if d.get("player"):
        d["actor_name"] += f"（{d['player']}）" if w.lang == "zh" else f" ({d['player']})"
    if d.get("inject"):
        d["text"] = f"{w.L['inject']} {d['inject']}：{display_name(d.get('message'), w.lang) or ''}"
        return
    d["text"] = _decision_what(d, w, d.get("activate") if d.get("show_activate") else None)


def _decision_what(d: Mapping[str, Any], w: _Words, activate: Sequence[str] | None) -> str:
    """What a decision decided — incident · choice · level · the HQs
    ``activate`` names (none said as such; ``None``: not shown) — one wording
    for the decisions table and the timeline."""
    parts = []
    if d.get("incident"):
        parts.append(w.n(d["incident"]))
    if d.get("choice"):
        parts.append(w.L.get(f"choice.{d['choice']}", str(d["choice"])))
    if d.get("level"):
        parts.append(w.level(d["level"]))
    if activate is not None:
        hqs = "、".join(w.n(h) for h in activate) or w.L["decision.none"]
        parts.append(w.t("decision.activate", hqs=hqs))
    return " · ".join(parts) or w.kind("decision")


def _improvement(item: Mapping[str, Any], w: _Words) -> tuple[str, str]:
    kind = item["kind"]
    incident = w.n(item.get("incident"))
    if kind == "activation":
        command = w.n(item["command"])
        basis = w.L["basis." + item.get("basis", "onset")]
        if item.get("activated") is None:
            return w.t("what.activation_none", command=command, incident=incident), w.L["why.none"]
        what = w.t(
            "what.activation", command=command, clock=w.clock(item["activated"]), incident=incident
        )
        reasons = []
        if item.get("delay") is not None and item["delay"] > item["target"]:
            reasons.append(
                w.t(
                    "why.late",
                    delay=w.mins(item["delay"]),
                    basis=basis,
                    target=w.mins(item["target"]),
                )
            )
        if item.get("under"):
            reasons.append(w.t("why.under", level=item["level"], required=item["required"]))
        if item.get("wait"):
            wait = item["wait"]
            reasons.append(
                w.t(
                    "why.wait",
                    gap=w.mins(wait["gap"]),
                    after=w.kind(wait["after"]),
                    before=w.kind(wait["before"]),
                )
            )
        return what, "；".join(reasons) if w.lang == "zh" else "; ".join(reasons)
    if kind == "deadline":
        deadline = w.n(item["deadline"])
        what = w.t("what.deadline", deadline=deadline, incident=incident)
        if item.get("done") is None:
            return what, w.t("why.deadline_never", due=w.clock(item.get("due")))
        if item.get("slack") is not None:
            return what, w.t(
                "why.deadline_slack",
                done=w.clock(item["done"]),
                due=w.clock(item.get("due")),
                slack=w.mins(abs(float(item["slack"]))),
            )
        return what, w.t("why.deadline", done=w.clock(item["done"]), due=w.clock(item.get("due")))
    if kind == "over_response":
        what = w.t(
            "what.over_response",
            incident=incident,
            level=item.get("level"),
            clock=w.clock(item.get("time")),
        )
        warranted = item.get("warranted")
        if warranted is None:
            return what, w.L["why.over_nothing"]
        return what, w.t("why.over", warranted=warranted)
    if kind == "deadline_rate":
        deadline = w.n(str(item["deadline"]).split(".")[-1].removesuffix(".met"))
        what = w.t("what.deadline_rate", deadline=deadline, incident=incident)
        return what, w.t("why.deadline_rate", rate=w.mins(item.get("rate")))
    text = display_name(item.get("text"), w.lang) or str(item.get("criterion"))
    if item.get("status") == "not_triggered":
        return text, w.L["why.criterion_not_triggered"]
    if item.get("elapsed") is not None:
        return text, w.t("why.criterion_late", elapsed=w.mins(item["elapsed"]))
    if item.get("early") is not None and item.get("ended") is not None:
        at, ended = w.clock(item["early"]), w.clock(item["ended"])
        return text, w.t("why.criterion_ended", at=at, ended=ended)
    if item.get("early") is not None:
        return text, w.t("why.criterion_early", at=w.clock(item["early"]))
    return text, w.L["why.criterion_missed"]


def _plan_row(row: dict[str, Any], item: Mapping[str, Any] | None, w: _Words) -> None:
    if row.get("issue") is None and item is not None:
        what, why = _improvement(item, w)
        row["issue_text"] = f"{what}（{why}）" if w.lang == "zh" else f"{what} ({why})"
    else:
        row["issue_text"] = row.get("issue") or "–"
    plan = w.n(row["plan"]) if row.get("plan") else None
    if row.get("capability"):
        row["capability_text"] = row["capability"]
    elif plan and row.get("level"):
        row["capability_text"] = w.t("clause.level", plan=plan, level=row["level"])
    elif plan:
        row["capability_text"] = w.t("clause.plan", plan=plan)
    else:
        row["capability_text"] = "–"
    if row.get("action"):
        row["action_text"] = row["action"]
    elif item is not None:
        row["action_text"] = _action(item, plan, w)
    else:
        row["action_text"] = "–"
    row["unit_name"] = w.n(row["unit"]) if row.get("unit") else w.L["due.none"]
    row["due_text"] = calendar_date(row.get("due"), w.lang) or w.L["due.none"]
    row["source_name"] = w.L[f"source.{row['source']}"]


def _action(item: Mapping[str, Any], plan: str | None, w: _Words) -> str:
    kind = item["kind"]
    if kind == "activation":
        if item.get("under") and plan:
            return w.t("action.activation_level", plan=plan, required=item["required"])
        return w.t(
            "action.activation",
            command=w.n(item["command"]),
            target=w.mins(item["target"]),
            basis=w.L["basis." + item.get("basis", "onset")],
        )
    if kind in ("deadline", "deadline_rate"):
        deadline = w.n(str(item["deadline"]).split(".")[-1])
        return w.t(f"action.{kind}", deadline=deadline)
    if kind == "over_response":
        return w.t("action.over_response", plan=plan or "–")
    return w.L["action.criterion"]


def _facts(facts: dict[str, Any], w: _Words) -> None:
    # A date the facilitator gave (``date: 2025-01-30``) reads as the report's
    # other dates do: in Chinese 2025年1月30日.
    if facts.get("date"):
        facts["date"] = calendar_date(facts["date"], w.lang)
    for s in facts.get("signoff") or ():
        if s.get("date"):
            s["date"] = calendar_date(s["date"], w.lang)
    for p in facts.get("participants") or ():
        role = p.get("role")
        p["role_name"] = w.L.get(f"role.{role}", role or "–") if role else "–"
        if p.get("unit") is None and role in ("duty-room",):
            p["unit"] = w.n("district_duty_room")
    for s in facts.get("signoff") or ():
        title = s.get("title")
        s["title_name"] = w.L.get(f"signoff.{title}", title or "–") if title else "–"


def _thin_note(dists: Sequence[Mapping[str, Any]], w: _Words) -> str | None:
    """The distributions table's footnote for percentiles marked ``*``: the
    replications each needs (``None``: none marked)."""
    from cmdsim.analysis.percentiles import PERCENTILE_NEEDS

    keys = sorted({k for d in dists for k in d.get("thin") or ()})
    if not keys:
        return None
    sep = "，" if w.lang == "zh" else ", "
    needs = sep.join(w.t("thin.need", what=w.L[k], n=PERCENTILE_NEEDS[k]) for k in keys)
    return w.t("distributions.thin", needs=needs)


def _distribution_title(dist: Mapping[str, Any], w: _Words) -> str:
    group = dist.get("group")
    if not group:
        return str(dist["name"])
    parts = [w.L[f"family.{group['family']}"]]
    if group.get("command"):
        parts.append(w.n(group["command"]))
    if group.get("hazard"):
        parts.append(w.n(group["hazard"]))
    if group.get("band"):
        parts.append(w.L.get(f"band.{group['band']}", str(group["band"])))
    return " · ".join(parts)


def _timeline(timeline: dict[str, Any], w: _Words) -> None:
    for lane in timeline.get("lanes") or ():
        ident = lane["id"]
        group, _, key = ident.partition(":")
        if group == "incident" or group == "hq":
            lane["label"] = w.n(key)
        elif group == "level":
            lane["label"] = w.t("lane.level_of", incident=w.n(key))
        elif group == "town-level":
            lane["label"] = w.t("lane.town_level_of", incident=w.n(key))
        else:
            lane["label"] = w.L.get(f"lane.{ident}", ident)
    for bar in timeline.get("bars") or ():
        key = bar["lane"].partition(":")[2]
        if bar["kind"] == "callout":
            bar["label"] = w.t("bar.callout", command=w.n(key))
        elif bar["kind"] == "active":
            bar["label"] = w.t("bar.active", command=w.n(key))
        elif bar["kind"] == "level":
            bar["label"] = f"{w.n(key)} {w.level(bar.get('level'))}"
        else:
            bar["label"] = w.n(key)
        bar["start_clock"] = w.clock(bar["start"])
        bar["end_clock"] = w.clock(bar.get("end"))
    for mark in timeline.get("markers") or ():
        mark["clock"] = w.clock(mark["time"])
        mark["label"] = _marker_label(mark, w)


def _marker_label(mark: Mapping[str, Any], w: _Words) -> str:
    kind = mark["kind"]
    raw = str(mark.get("label") or "")
    if kind == "signal":
        colour = raw.split()[-1] if raw.split() else ""
        text = w.L.get(f"signal.{colour}", w.kind("signal"))
        # The city's service issues most warnings: only the district
        # station's own (分级发布) is named.
        return w.t("signal.by_district", signal=text) if mark.get("issuer") == "district" else text
    if kind == "deadline":
        return f"{w.n(raw)} {w.L.get(str(mark.get('status')), '')}".strip()
    if kind == "handover" and raw.startswith("handed back"):
        return w.t("marker.handed_back", to=w.n(raw.rsplit(" ", 1)[-1])) + _why(mark, w)
    if kind == "handover":
        return w.t("marker.handover", to=w.n(raw.rsplit(" ", 1)[-1]))
    if kind == "takeover":
        return w.kind(raw)
    if kind == "decision" and mark.get("decision"):
        return _decision_marker(mark["decision"], w)
    if kind in ("inject", "decision"):
        return w.kind(kind) if raw in ("", kind) else display_name(raw, w.lang) or raw
    return w.kind(kind)


def _step_kind(step: Mapping[str, Any], w: _Words) -> str:
    """A critical path's step: its kind, and for a decision what was decided
    (level, HQs, choice), as the timeline says it; the path is one incident's,
    so the incident is not repeated."""
    decided = step.get("decision")
    if step["kind"] != EventKind.DECISION or not decided:
        return w.kind(step["kind"])
    what = _decision_what(
        {k: v for k, v in decided.items() if k != "incident"}, w, decided.get("activate") or None
    )
    if what == w.kind("decision"):
        return what
    return w.t("path.decision", what=what)


def _decision_marker(d: Mapping[str, Any], w: _Words) -> str:
    """Who decided what, as the decisions table words it: a bare "decision"
    on the timeline would lose what the room decided."""
    actor = w.L.get(f"role.{d.get('actor')}", w.n(d.get("actor"))) if d.get("actor") else ""
    what = _decision_what(d, w, d.get("activate") or None)
    return w.t("ev.decision", actor=actor, what=what) if actor else what


def _coverage_cell(
    leads: Sequence[str],
    silent: str | None,
    w: _Words,
    up: str | None = None,
    linked: str | None = None,
) -> str:
    """A matrix cell's words: its leads; else the lead of a governing plan
    with no response at the level (the engine still calls it out); else a
    dash for a level no plan governs.  ``up``: the lead a town case goes to
    at this level where the town plan's triggers set none; ``linked``: the
    lead whose plan's warning link takes it on a signal."""
    if leads:
        text = " / ".join(w.n(h) for h in leads)
    elif silent:
        text = w.t("coverage.no_response", lead=w.n(silent))
    else:
        text = "—"
    if up and up == linked:
        return w.t("coverage.handed_linked", cell=text, lead=w.n(up))
    if up:
        text = w.t("coverage.handed", cell=text, lead=w.n(up))
    return w.t("coverage.linked", cell=text, lead=w.n(linked)) if linked else text


def _coverage(cov: dict[str, Any], w: _Words) -> None:
    # A bare "II" heads a column a Chinese reader takes for a number: "II级".
    cov["column_names"] = [w.level(c) for c in cov.get("columns") or ()]
    names = []
    for key, row in zip(cov.get("keys") or (), cov["rows"], strict=False):
        tier = key["tier"]
        hazard = w.n(key["hazard"])
        if tier == "district":
            names.append(hazard)
        elif tier.startswith("town:"):
            names.append(f"{w.n(tier[5:])} · {hazard}")
        else:
            names.append(f"{w.L.get('tier.' + tier, tier)} · {hazard}")
        del row
    if len(names) == len(cov["rows"]):
        cov["row_names"] = names
    else:
        cov["row_names"] = list(cov["rows"])
    if cov.get("leads"):
        silent = cov.get("no_response") or []
        up = cov.get("handed") or []
        signalled = cov.get("linked") or []
        cov["cell_names"] = [
            [
                _coverage_cell(
                    cell,
                    silent[i][j] if i < len(silent) else None,
                    w,
                    up[i][j] if i < len(up) else None,
                    signalled[i][j] if i < len(signalled) else None,
                )
                for j, cell in enumerate(row)
            ]
            for i, row in enumerate(cov["leads"])
        ]
    else:
        cov["cell_names"] = cov["cells"]
