"""The facilitator's console: a clock, the injects and events as they fire,
the criteria as met or missed, and the decisions of the roles people play.

Commands (one a line, at the ``drill>`` prompt)::

    n | next          step to the next event
    s N | +N         step N minutes
    c | continue      run to the next decision (or the end)
    p | play [SPEED]  run in real time, SPEED sim-minutes a second (default 10);
                      Ctrl-C pauses
    i MIN TEXT        add an inject MIN minutes from now (to the duty room);
                      i MIN hazard=H town=T level=L to=R TEXT: an incident
                      report (hazard, town by id or name); deaths=4
                      households=12000 … : the figures it states
    k | criteria      show the evaluation criteria
    f | filter        show only the key events (onset, awareness, levels,
                      HQs, takeover, deadlines, injects, decisions), or all
    h | help          this list
    q | quit          end the exercise (the rest is simulated with the plan);
                      q, the end of input or Ctrl-C end it at any prompt

The console reads commands through ``read`` and writes through a rich
``Console``, so tests and scripted mode can drive it without a terminal.
"""

from __future__ import annotations

import difflib
import json
import math
import re
import time as _time
from collections.abc import Callable

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cmdsim.errors import Problem
from cmdsim.exercise.console_words import (
    ENGLISH,
    ConsoleWords,
    console_words,
    decision_words,
    details_text,
    role_word,
)
from cmdsim.exercise.criteria import Status, Verdict
from cmdsim.exercise.drill import (
    GENERAL_HQ,
    LEAD_HQ,
    Decision,
    Event,
    Exercise,
    InjectError,
    Point,
    hold,
    plan_decision,
    take_over,
    with_choice,
)
from cmdsim.exercise.inject_check import added_figures
from cmdsim.exercise.msel_places import command_names, inject_places, resolve_recipient
from cmdsim.exercise.policy import Options, options
from cmdsim.model import Inject, Level
from cmdsim.model.incidents import FIGURE_NAMES
from cmdsim.names import chinese_part
from cmdsim.sim.events import EventKind
from cmdsim.sim.moments import calendar, clock, elapsed, wall
from cmdsim.sim.reasons import logged_reason
from cmdsim.sim.timeline import LOG_WORDS, TimelineWords

HELP = __doc__.split("Commands (one a line, at the ``drill>`` prompt)::", 1)[1].split(
    "The console reads", 1
)[0]

_STYLE = {
    "inject": "bold magenta",
    "decision": "bold green",
    "activated": "bold cyan",
    "level": "yellow",
    "deadline": "red",
}

KEY_EVENTS = frozenset(
    {
        EventKind.ONSET,
        EventKind.SIGNAL,
        EventKind.AWARE,
        EventKind.LEVEL_DECIDED,
        EventKind.LEVEL_ESCALATED,
        EventKind.LEVEL_DEESCALATED,
        EventKind.LEVEL_HELD,
        EventKind.ESCALATION_REQUESTED,
        EventKind.RESPONSE_CLOSED,
        EventKind.HAND_OVER_REQUESTED,
        EventKind.PLAN_HANDED_OVER,
        EventKind.PLAN_HANDED_BACK,
        EventKind.PLAN_TAKEN_BACK,
        EventKind.HQ_NOTIFIED,
        EventKind.HQ_ACTIVATED,
        EventKind.HQ_JOINED,
        EventKind.HQ_DEACTIVATED,
        EventKind.TAKEOVER_TRIGGERED,
        EventKind.TAKEOVER_DECLINED,
        EventKind.TAKEOVER,
        EventKind.TAKEOVER_ENDED,
        EventKind.GENERAL_PLAN,
        EventKind.TASK_DONE,
        EventKind.REPORT_SENT,
        EventKind.INJECT,
        EventKind.DECISION,
        EventKind.NO_PLAN,
        EventKind.NO_LEAD,
        EventKind.COMMITTEE_NOTIFIED,
        EventKind.COMMITTEE_CONVENED,
        EventKind.COMMITTEE_ADJOURNED,
        EventKind.COMMUNITY_WAITING,
        EventKind.COMMUNITY_ACTING,
        EventKind.COMMUNITY_ACTION_DONE,
    }
)
"""What the ``f`` filter keeps: the milestones a facilitator follows, without
the reports received, merged and forwarded or the posts filled one by one."""


class Quit(Exception):
    """``q``, the end of input or Ctrl-C at a prompt: the drill ends."""


class DrillConsole:
    """Steps an :class:`Exercise` under a facilitator's commands."""

    def __init__(
        self,
        exercise: Exercise,
        console: Console,
        read: Callable[[str], str],
        sleep: Callable[[float], None] = _time.sleep,
        save: Callable[[], None] | None = None,
        words: TimelineWords = LOG_WORDS,
    ) -> None:
        """``save`` is called after every decision and inject, so a drill
        whose terminal dies keeps its log up to the last thing decided;
        ``words`` are a run's timeline words in the facilitator's language
        (:func:`cmdsim.report.run_words.timeline_words`), and the console's
        own lines follow them (:mod:`cmdsim.exercise.console_words`)."""
        self.words = words
        self.say: ConsoleWords = console_words(words.lang)
        self.ex = exercise
        self.save = save
        self.out = console
        self.read = read
        self.sleep = sleep
        self.now = 0.0
        self.seen: set[str] = set()
        self.verdicts: dict[str, Status] = {}
        self.counter = 0
        self.key_only = False

    # -- display ------------------------------------------------------------------

    def clock(self) -> str:
        """The drill clock: the time since the start and the date and time it is
        (``T+04:15  2024-09-20 00:15``), as the served pages show it."""
        lang = self.words.lang
        return f"{elapsed(self.now, lang)}  {calendar(wall(self.ex.base.start, self.now), lang)}"

    def show_event(self, event: Event) -> None:
        kind = str(event["kind"])
        if self.key_only and kind not in KEY_EVENTS:
            return
        style = next((v for k, v in _STYLE.items() if k in kind.lower()), "")
        details = event.get("details") or {}
        text = details.get("text") or details_text(details, self.words, self.say)
        # The time of day as `cmdsim run`'s timeline shows it (22:15, 00:10 +1d).
        at = clock(self.ex.base.start, float(event["time"]), lang=self.words.lang)
        incident = f" [{event['incident']}]" if event.get("incident") else ""
        shown = self.words.kinds.get(kind, kind)
        line = f"{at}  {event.get('actor', '')}{incident}  {shown}  {text}"
        self.out.print(line, style=style or None, markup=False, highlight=False)

    def reveal(self) -> None:
        """Print events up to the clock not yet shown, then criteria changes."""
        for event in self.ex.events:
            if float(event["time"]) > self.now:
                break
            mark = json.dumps(event, sort_keys=True)
            if mark not in self.seen:
                self.seen.add(mark)
                self.show_event(event)
        final = self.now >= self.ex.end and self.ex.pending is None
        for verdict in self.ex.verdicts(self.now, final=final):
            old = self.verdicts.get(verdict.criterion)
            if verdict.status != old and verdict.status in (Status.MET, Status.MISSED):
                note = f" ({escape(verdict.note)})" if verdict.note else ""
                self.out.print(
                    self.say.criterion.format(
                        criterion=escape(verdict.criterion),
                        mark=self.say.marks[verdict.status],
                        text=escape(verdict.text),
                        note=note,
                    )
                )
            self.verdicts[verdict.criterion] = verdict.status

    def criteria_table(self, verdicts: list[Verdict]) -> Table:
        """The criteria as a table in the console's words."""
        return criteria_table(verdicts, self.say)

    # -- moving the clock ---------------------------------------------------------

    def limit(self) -> float:
        """How far the clock may go: the pending decision, else the end."""
        return self.ex.pending.time if self.ex.pending is not None else self.ex.end

    def advance(self, to: float) -> None:
        self.now = min(max(self.now, to), self.limit())
        self.reveal()
        self.out.print(f"[bold]{self.clock()}[/]")
        if self.ex.pending is not None and self.now >= self.ex.pending.time:
            self.ask(self.ex.pending)

    def next_event(self) -> None:
        later = [float(e["time"]) for e in self.ex.events if float(e["time"]) > self.now]
        self.advance(later[0] if later else self.limit())

    def ask(self, point: Point) -> None:
        """The played role's decision at ``point``.

        The players see what their role knows and the answers the plan
        allows, never the plan's own answer: Enter lets the plan's rule
        decide without showing it first.  ``q`` (or the end of input) at
        any prompt ends the drill.
        """
        say = self.say
        known = details_text(point.known, self.words, say, known=True)
        # the time of day beside the minutes, as the event lines write it: a
        # night drill's decision at 257 min is tomorrow's 00:17 (+1d)
        when = clock(self.ex.base.start, point.time, lang=self.words.lang)
        self.out.print(
            say.decision.format(
                role=role_word(point.role, say),
                incident=escape(point.incident or "-"),
                time=point.time,
                when=when,
                known=escape(known) or say.known_none,
            ),
            highlight=False,
        )
        offered = options(point, self.ex.base)
        if point.role == GENERAL_HQ:
            decision = self._ask_general(point)
        elif point.role == LEAD_HQ:
            decision = self._ask_lead(point, offered)
        else:
            decision = self._ask_duty_room(point, offered)
        self.ex.decide(point, decision, by="human")
        self.ex.project()
        planned = with_choice(point, plan_decision(point))
        self.out.print(
            say.recorded.format(
                decision=decision_words(decision, say), planned=decision_words(planned, say)
            ),
            markup=False,
            highlight=False,
        )
        self._saved()

    def _saved(self) -> None:
        if self.save is not None:
            self.save()

    def _input(self, prompt: str) -> str:
        """One answer; ``q``, the end of input or Ctrl-C end the drill."""
        try:
            answer = self.read(prompt)
        except (EOFError, KeyboardInterrupt):
            raise Quit from None
        if answer.strip().lower() in ("q", "quit", "exit"):
            raise Quit
        return answer

    def _ask_duty_room(self, point: Point, offered: Options) -> Decision:
        say = self.say
        hqs = ", ".join(self._named(hq) for hq in offered.hqs) or say.none
        levels = say.levels_hqs.format(levels=", ".join(offered.levels), hqs=hqs)
        self.out.print(levels, markup=False, highlight=False)
        prompt = say.level_prompt.format(levels="/".join(offered.levels), plan=say.plan_note)
        level = self._read_level(prompt, point)
        return Decision(level, self._read_hqs(point))

    def _read_hqs(self, point: Point) -> tuple[str, ...]:
        """The HQs typed to activate, by id or name (``gas_hq``,
        ``区燃气事故应急处置指挥部``), separated by commas (``,``, ``，`` or
        ``、``): Enter keeps the plan's, ``none`` is none; asks again if one
        is no HQ of the district (a typo would otherwise be recorded and
        activate nothing), with the close ids, or the close Chinese names
        for Chinese."""
        district = self.ex.base.district
        known = sorted(c.id for c in district.commands)
        names = command_names(district)
        chinese = {chinese_part(c.name or ""): c.id for c in district.commands}
        chinese.pop("", None)
        while True:
            say = self.say
            hqs = self._input(say.hqs_prompt.format(plan=say.plan_note)).strip()
            if not hqs:
                return point.activate
            if hqs.lower() in ("none", "无"):
                return ()
            typed = [h.strip() for h in re.split(r"[,，、]", hqs) if h.strip()]
            chosen = tuple(dict.fromkeys(resolve_recipient(h, names) for h in typed))
            unknown = [h for h in chosen if h not in known]
            if not unknown:
                return chosen
            for name in unknown:
                if name.isascii():
                    close = difflib.get_close_matches(name, known, n=2)
                else:
                    found = difflib.get_close_matches(name, list(chinese), n=2, cutoff=0.6)
                    close = [f"{c} ({chinese[c]})" for c in found]
                hint = say.did_you_mean.format(close=say.alternatives.join(close)) if close else ""
                self.out.print(say.no_hq.format(name=name, hint=hint), style="red", markup=False)

    def _named(self, hq: str) -> str:
        """An HQ's id and the Chinese part of its name, which a Chinese room
        may type instead (``gas_hq 区燃气事故应急处置指挥部``)."""
        command = next((c for c in self.ex.base.district.commands if c.id == hq), None)
        name = chinese_part(command.name or "") if command is not None else ""
        return f"{hq} {name}" if name else hq

    def _ask_general(self, point: Point) -> Decision:
        say = self.say
        why = logged_reason(point.known)
        reason = why.text(self.words.reasons) if why is not None else say.takeover_holds
        self.out.print(say.takeover_rule.format(reason=reason), markup=False)
        take = self._yes_no(say.take_over_prompt.format(plan=say.plan_note), True)
        return with_choice(point, take_over(point, take))

    def _ask_lead(self, point: Point, offered: Options) -> Decision:
        say = self.say
        current = point.current.value if point.current else say.none
        if "request" in offered.choices:
            self.out.print(say.worse.format(current=current))
            request = self._yes_no(say.request_prompt.format(plan=say.plan_note), True)
            decision = Decision(point.level, ()) if request else hold(point)
        else:
            self.out.print(say.eased.format(current=current))
            choices = "/".join((*offered.levels, "none", "hold"))
            prompt = say.lower_prompt.format(choices=choices, plan=say.plan_note)
            decision = Decision(self._read_level(prompt, point, offer_hold=True), ())
        return with_choice(point, decision)

    def _read_level(self, prompt: str, point: Point, offer_hold: bool = False) -> Level | None:
        """A level typed at ``prompt``: Enter keeps the plan's, ``none`` is no
        level, ``hold`` (if offered) the current one; asks again if invalid."""
        while True:
            answer = self._input(prompt).strip()
            if not answer:
                return point.level
            if answer.lower() in self.say.nones:
                return None
            if offer_hold and answer.lower() == "hold":
                return point.current
            try:
                return Level.parse(answer)
            except ValueError as exc:
                error = self.say.bad_level.format(error=exc, answer=answer)
                self.out.print(f"  [red]{escape(error)}[/]")

    def _yes_no(self, prompt: str, planned: bool) -> bool:
        while True:
            answer = self._input(prompt).strip().lower()
            if answer == "":
                return planned
            if answer in self.say.yes:
                return True
            if answer in self.say.no:
                return False
            self.out.print(self.say.yes_no)

    def add_inject(self, args: str) -> None:
        """``i MIN [hazard=H] [town=T] [level=L] [to=R] [FIGURE=N …] TEXT``: an
        inject MIN minutes from now, to the duty room (or ``to``); with a
        hazard (id or name, as an MSEL's cell) an incident report of that
        town, asking that level, stating those figures (``deaths=4``, by the
        names of :data:`~cmdsim.model.incidents.FIGURE_NAMES`).  A bad one
        (no message, a time before now or at the end, a hazard, town, level,
        figure or recipient the district has not) is said, naming the field
        (``figures.deaths``), and nothing is added or saved."""
        minutes, _, text = args.strip().partition(" ")
        try:
            offset = float(minutes)
        except ValueError:
            self.out.print("[red]" + escape(self.say.inject_usage) + "[/]")
            return
        if not math.isfinite(offset) or offset < 0:
            # An inject in the past would change what the players have seen.
            wrong_time = self.say.inject_minutes.format(minutes=escape(minutes))
            self.out.print(f"[red]{wrong_time}[/]")
            return
        fields, text = _inject_fields(text)
        number = self.counter + 1
        ident = f"facilitator_{number}"
        spec = self.ex.spec
        taken = {i.id for i in (*self.ex.base.injects, *spec.msel.injects, *spec.added)}
        while ident in taken:
            number += 1
            ident = f"facilitator_{number}"
        district = self.ex.base.district
        places, wrong = inject_places(district, fields.get("hazard", ""), fields.get("town", ""))
        problems = [Problem(f"the inject {ident!r}: {p.message}", p.path) for p in wrong]
        level: Level | None = None
        if fields.get("level"):
            try:
                level = Level.parse(fields["level"])
            except ValueError as exc:
                problems.append(Problem(str(exc), "level"))
            if "hazard" not in fields:
                problems.append(Problem(self.say.inject_level, "level"))
        stated, bad = added_figures(
            {k: v for k, v in fields.items() if k in FIGURE_NAMES}, "hazard" in fields
        )
        problems += bad
        if problems:
            for problem in problems:
                self.out.print(f"[red]{escape(str(problem))}[/]")
            return
        inject = Inject(
            id=ident,
            at=self.now + offset,
            message=text.strip(),
            source="facilitator",
            to=fields.get("to") or "district_duty_room",
            hazard=places.get("hazard"),
            town=places.get("town"),
            level=level,
            figures=stated,
        )
        try:
            self.ex.add_inject(inject, now=self.now)
        except InjectError as exc:
            for problem in exc.renamed({"at": "minutes"}).problems:
                self.out.print(f"[red]{escape(str(problem))}[/]")
            return
        self.counter = number
        self.ex.project()
        self.out.print(self.say.inject_added.format(ident=ident, at=inject.at))
        self._saved()

    # -- the loop -------------------------------------------------------------------

    def play(self, speed: float) -> None:
        try:
            while self.now < self.limit():
                self.advance(self.now + speed / 4)
                self.sleep(0.25)
        except KeyboardInterrupt:
            self.out.print(self.say.paused)

    def run(self) -> None:
        """The command loop; returns when the exercise ends or on ``q``."""
        self.ex.project()
        title = escape(self.ex.base.name or self.ex.base.id)
        say = self.say
        roles = ", ".join(role_word(role, say) for role in self.ex.spec.play) or say.nobody
        self.out.print(say.title.format(title=title, seed=self.ex.spec.seed, roles=roles))
        self.out.print(say.help_hint)
        try:
            self.advance(0.0)
            self.loop()
        except Quit:
            # q, the end of input or Ctrl-C at any prompt: end the drill, keep the log
            pass
        self.finish()

    def loop(self) -> None:
        """Read and run commands until the exercise ends; :class:`Quit` on ``q``."""
        while True:
            if self.now >= self.ex.end and self.ex.pending is None:
                break
            line = self._input("drill> ").strip()
            cmd, _, args = line.partition(" ")
            if cmd in ("n", "next", ""):
                self.next_event()
            elif cmd.startswith("+") or cmd in ("s", "step"):
                raw = cmd[1:] if cmd.startswith("+") else args
                try:
                    minutes = float(raw or "10")
                except ValueError:
                    minutes = math.nan
                if not math.isfinite(minutes) or minutes <= 0:
                    # the clock never goes back: a step of 0 or less would do nothing
                    self.out.print(self.say.step_usage)
                    continue
                self.advance(self.now + minutes)
            elif cmd in ("c", "continue"):
                self.advance(self.limit())
            elif cmd in ("p", "play", "pause"):
                try:
                    speed = float(args) if args.strip() else 10.0
                except ValueError:
                    speed = math.nan
                if not math.isfinite(speed) or speed <= 0:
                    # a speed of 0 or less never reaches the end: the console hung
                    self.out.print(self.say.play_usage)
                    continue
                self.play(speed)
            elif cmd in ("i", "inject"):
                self.add_inject(args)
            elif cmd in ("k", "criteria"):
                self.out.print(self.criteria_table(self.ex.verdicts(self.now)))
            elif cmd in ("f", "filter"):
                self.key_only = not self.key_only
                self.out.print(self.say.key_only if self.key_only else self.say.every_event)
            elif cmd in ("h", "help", "?"):
                self.out.print(self.say.help or HELP, markup=False)
            else:
                self.out.print(self.say.unknown_command.format(command=escape(repr(cmd))))

    def finish(self) -> None:
        """Simulate the rest with the plan's rule and show the final verdicts."""
        if self.ex.pending is not None:
            self.ex.project(lambda _point: None, by="plan")
        self.now = self.ex.end
        self.reveal()
        self.out.print(self.criteria_table(self.ex.verdicts(self.ex.end, final=True)))
        self._saved()


INJECT_KEYS = ("hazard", "town", "level", "to", *FIGURE_NAMES)
"""What ``i MIN`` takes as ``key=value`` before its message: places, level,
recipient, and the figures the inject states."""


def _inject_fields(text: str) -> tuple[dict[str, str], str]:
    """The leading ``key=value`` words of an ``i`` command (:data:`INJECT_KEYS`,
    ``＝`` too) and the message after them."""
    fields: dict[str, str] = {}
    rest = text.strip()
    while rest:
        word, _, after = rest.partition(" ")
        key, sign, value = word.replace("＝", "=").partition("=")
        if not sign or key.lower() not in INJECT_KEYS or not value:
            break
        fields[key.lower()] = value
        rest = after.strip()
    return fields, rest


def criteria_table(verdicts: list[Verdict], say: ConsoleWords = ENGLISH) -> Table:
    """The criteria's verdicts as a table, in ``say``'s words; the criteria's
    texts as written (brackets and all)."""
    table = Table(title=say.criteria_title)
    criterion, status, *times = say.columns
    table.add_column(criterion)
    table.add_column(status)
    for column in times:
        table.add_column(column, justify="right")
    for v in verdicts:
        table.add_row(
            escape(v.text) + (f"\n[dim]{escape(v.note)}[/]" if v.note else ""),
            say.marks[v.status],
            _num(v.start),
            _num(v.deadline),
            _num(v.at),
        )
    return table


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def print_run(exercise: Exercise, console: Console, words: TimelineWords = LOG_WORDS) -> None:
    """Print a finished (scripted or replayed) exercise: events and verdicts,
    in ``words``' language (the log's own by default)."""
    view = DrillConsole(exercise, console, read=lambda _prompt: "q", words=words)
    view.now = exercise.end
    view.reveal()
    console.print(view.criteria_table(exercise.verdicts(exercise.end, final=True)))
