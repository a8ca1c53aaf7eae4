"""Named random streams: one per stochastic source, derived from the run's seed.

A stream's generator is a PCG64 whose 256-bit seed is the BLAKE2b hash of
the run's root state (four 64-bit words of the run's ``SeedSequence``, made
once per run) and the stream's name.  It depends only on the run's seed and
the name — not on which streams were made before it or in what order — so
adding a source never shifts the draws of another and common random numbers
work across variants.  It costs a hash instead of a ``SeedSequence`` per
stream (about 4 µs instead of 17 µs).

Every stream name the engine and the fast path draw from is made by one of
the functions below (the registry; :data:`REGISTRY` lists them): each says
what draws from its stream and in which order.  The fast path replays those
draws (:func:`cmdsim.analysis.fast.draws.engine_draws`), so a change here,
or to the order of a source's draws, is a change to both paths
(CONTRIBUTING.md, "The engine and the fast path").  A new source takes a new function and a new
name, so no existing stream's draws move.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.random.bit_generator import ISeedSequence

from cmdsim.errors import ScenarioError


def root_sequence(seed: int | np.random.SeedSequence) -> np.random.SeedSequence:
    """The run's seed sequence: an int seed or a replication's child sequence."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    try:
        # Not int(): a seed of 1.5 or "3" (a notebook's slip) would quietly
        # run seed 1 or 3.  numpy's integers pass.
        whole = operator.index(seed)
    except TypeError:
        whole = -1
    if whole < 0 or isinstance(seed, bool):
        raise ScenarioError(f"a seed is a non-negative integer, got {seed!r}")
    return np.random.SeedSequence(whole)


_U64 = np.dtype(np.uint64)


class _Words(ISeedSequence):
    """Hands PCG64 the 256 bits a stream's hash made (no further mixing)."""

    __slots__ = ("words",)

    def __init__(self, words: bytes) -> None:
        self.words = words

    def generate_state(self, n_words: int, dtype: Any = np.uint32) -> np.ndarray[Any, Any]:
        if n_words == 4 and dtype is np.uint64:
            # What PCG64 asks for: the whole digest, read in place (PCG64
            # only reads it), without a slice and a copy per stream; a dtype
            # object rather than the scalar type halves frombuffer's cost.
            return np.frombuffer(self.words, _U64)
        return np.frombuffer(self.words, dtype=dtype)[:n_words].copy()


def root_key(root: np.random.SeedSequence) -> bytes:
    """The run's root state that every stream's hash starts from."""
    return bytes(root.generate_state(4, np.uint64).tobytes())


_blake2b, _Generator, _PCG64 = hashlib.blake2b, np.random.Generator, np.random.PCG64
"""Bound once: a run makes a hundred streams or more."""


def stream_from_key(key: bytes, name: str) -> np.random.Generator:
    """The generator of the named source below the root state ``key``."""
    digest = _blake2b(name.encode("utf-8"), digest_size=32, key=key).digest()
    return _Generator(_PCG64(_Words(digest)))  # type: ignore[arg-type]


def stream(root: np.random.SeedSequence, name: str) -> np.random.Generator:
    """The generator of the named source below ``root`` (what a run draws from)."""
    return stream_from_key(root_key(root), name)


class Streams:
    """Lazily created named streams of one run; a name always gives the same one."""

    def __init__(self, seed: int | np.random.SeedSequence) -> None:
        self.root = root_sequence(seed)
        self._key: bytes | None = None
        self._made: dict[str, np.random.Generator] = {}

    def __call__(self, name: str) -> np.random.Generator:
        rng = self._made.get(name)
        if rng is None:
            if self._key is None:
                self._key = root_key(self.root)
            rng = self._made[name] = stream_from_key(self._key, name)
        return rng


# The registry.  ``<id>`` in a pattern are model ids; names never change, as
# they key the draws of every pinned result.


def channel_stream(incident: str, channel: str) -> str:
    """``channel/<incident>/<channel>``: each observation of ``incident`` sent
    on ``channel``, in time order, draws one uniform (missed if below
    ``miss``) and then one ``delay``."""
    return f"channel/{incident}/{channel}"


def officers_stream(incident: str) -> str:
    """``officers/<incident>``: per observation relayed by the information
    officers, the committee (one integer, only when the incident names none
    and its town has committees), then per tier hop as the previous hop
    ends: one uniform (missed if below ``miss``), then one ``relay`` delay."""
    return f"officers/{incident}"


def triage_stream(room: str, incident: str) -> str:
    """``room/<room>/triage/<incident>``: one ``triage`` delay per report of
    the incident, in the order the room starts triaging them."""
    return f"room/{room}/triage/{incident}"


def forward_stream(room: str, incident: str) -> str:
    """``room/<room>/forward/<incident>``: a town room's ``forward`` delay per
    report of the incident, in the order their triage ends."""
    return f"room/{room}/forward/{incident}"


def handover_stream(room: str, incident: str) -> str:
    """``room/<room>/handover/<incident>``: a town room's hand-over of the
    incident's case to the district room (one ``forward`` delay)."""
    return f"room/{room}/handover/{incident}"


def handback_stream(room: str, incident: str) -> str:
    """``room/<room>/handback/<incident>``: the district room's hand-back of
    the incident's case to its town plan (one ``forward`` delay)."""
    return f"room/{room}/handback/{incident}"


def approval_stream(room: str, incident: str) -> str:
    """``room/<room>/approval/<incident>``: one ``approval`` delay per
    decision and escalation of the incident's case at that room, in order
    (the first draw is the first decision's)."""
    return f"room/{room}/approval/{incident}"


def reassess_stream(incident: str, room: str | None = None) -> str:
    """``reassess/<incident>`` (the district room) or
    ``reassess/<room>/<incident>`` (a town room): the lead's reassessments
    of the incident's case, in order."""
    return f"reassess/{incident}" if room is None else f"reassess/{room}/{incident}"


def callout_stream(command: str) -> str:
    """``callout/<command>``: each call-out of the HQ, post by post in the
    HQ's order: the post's ``people`` call-out delays, then ``people``
    uniforms (reached if below ``reach``) (:func:`cmdsim.sim.callout.draw_callout`)."""
    return f"callout/{command}"


def task_stream(incident: str, task: str) -> str:
    """``task/<incident>/<task>``: the task's one ``duration``.  ``task`` is
    the name the task goes by in the incident
    (:meth:`cmdsim.sim.compiled.Compiled.task_name`): its id, or
    ``<plan>:<id>`` for a plan's task apart from another plan's of the same
    id, so two plans' tasks never draw from one stream."""
    return f"task/{incident}/{task}"


def report_stream(incident: str, duty: str, k: int = 0) -> str:
    """``report/<incident>/<duty>`` (the first report of a duty) and
    ``report/<incident>/<duty>/<k>`` (its ``k``-th follow-up): the writing's
    one ``duration``."""
    return f"report/{incident}/{duty}" if k == 0 else f"report/{incident}/{duty}/{k}"


def transmit_stream(incident: str, duty: str, k: int = 0) -> str:
    """``transmit/<incident>/<duty>[/<k>]``: the report's one ``transmit``
    delay, drawn only when that delay is not fixed."""
    return f"transmit/{incident}/{duty}" if k == 0 else f"transmit/{incident}/{duty}/{k}"


def warning_stream(incident: str, signal: str) -> str:
    """``warning/<incident>/<signal>``: the warning link's one ``confirm``
    delay when the incident's timeline raises ``signal`` (:mod:`cmdsim.sim.warnings`)."""
    return f"warning/{incident}/{signal}"


def warning_lowered_stream(incident: str, signal: str) -> str:
    """``warning/<incident>/lowered/<signal>``: the warning link's one ``confirm``
    delay when the incident's timeline lowers its signal to ``signal``, or
    lifts it (``signal`` is then ``lifted``, 解除: no colour has that name)
    (:mod:`cmdsim.sim.warnings`); a raise draws from :func:`warning_stream`,
    so neither shifts the other."""
    return f"warning/{incident}/lowered/{signal}"


def town_warning_stream(room: str, incident: str, signal: str) -> str:
    """``room/<room>/warning/<incident>/<signal>``: a town plan's warning link's
    one ``confirm`` delay at the town room ``room`` when the incident's timeline
    raises ``signal`` (:mod:`cmdsim.sim.warnings`); the district's link draws
    from :func:`warning_stream`, so neither shifts the other."""
    return f"room/{room}/warning/{incident}/{signal}"


def town_warning_lowered_stream(room: str, incident: str, signal: str) -> str:
    """``room/<room>/warning/<incident>/lowered/<signal>``: a town plan's warning
    link's one ``confirm`` delay at the town room ``room`` when the incident's
    timeline lowers its signal to ``signal``, or lifts it (``lifted``)
    (:mod:`cmdsim.sim.warnings`); the town link's raise draws from
    :func:`town_warning_stream`, the district's lowering from
    :func:`warning_lowered_stream`, so none shifts another."""
    return f"room/{room}/warning/{incident}/lowered/{signal}"


def figures_stream(incident: str, channel: str) -> str:
    """``figures/<incident>/<channel>``: a channel's counted figures of one
    observation: the first count's ``lag`` (unless it is zero), then each
    recount's ``every`` delay, in order (:mod:`cmdsim.sim.knowledge`)."""
    return f"figures/{incident}/{channel}"


def noise_stream(incident: str, channel: str) -> str:
    """``noise/<incident>/<channel>``: after each genuine report, per further
    report one uniform (false alarm, duplicate, or the run ends), then for
    each false alarm or duplicate one channel ``delay``."""
    return f"noise/{incident}/{channel}"


def count_triage_stream(room: str, incident: str) -> str:
    """``room/<room>/count/<incident>``: one ``triage`` delay per counted
    figures report of the incident, in triage order."""
    return f"room/{room}/count/{incident}"


def false_alarm_stream(room: str, incident: str) -> str:
    """``room/<room>/false/<incident>``: per false alarm of the incident, in
    triage order, its ``triage`` delay then (if its channel verifies) its
    ``verify`` delay."""
    return f"room/{room}/false/{incident}"


def duplicate_stream(room: str, incident: str) -> str:
    """``room/<room>/duplicate/<incident>``: one ``triage`` delay per
    duplicate report of the incident, in triage order."""
    return f"room/{room}/duplicate/{incident}"


def verify_stream(room: str, incident: str) -> str:
    """``room/<room>/verify/<incident>``: one channel ``verify`` delay per
    genuine report of the incident the room verifies (核实), in order."""
    return f"room/{room}/verify/{incident}"


def community_stream(incident: str, committee: str) -> str:
    """``community/<incident>/<committee>``: a committee without a handbook
    waits for instructions: one ``instructions`` delay when it first acts on
    the incident (:mod:`cmdsim.sim.community`)."""
    return f"community/{incident}/{committee}"


def community_action_stream(incident: str, action: str) -> str:
    """``community/<incident>/<action>``: the community action's one
    ``duration`` (the same pattern as :func:`community_stream`: an action and
    a committee must not share an id, which the district's model refuses,
    ``cmdsim.model.bodies.shared_id_errors``)."""
    return f"community/{incident}/{action}"


def body_stream(body: str, stage: str) -> str:
    """``body/<body>/<stage>`` (``convene`` or ``notify``): one rule ``delay``
    each time a rule of the body's stage holds (:mod:`cmdsim.sim.bodies`)."""
    return f"body/{body}/{stage}"


def reinforce_stream(room: str, k: int) -> str:
    """``reinforce/<room>/<k>``: the ``arrive`` delay of the ``k``-th call-in
    of officers to the duty room (加强值班, :mod:`cmdsim.sim.reinforce`), one draw."""
    return f"reinforce/{room}/{k}"


REGISTRY: tuple[Callable[..., str], ...] = (
    channel_stream,
    officers_stream,
    triage_stream,
    forward_stream,
    handover_stream,
    handback_stream,
    approval_stream,
    reassess_stream,
    callout_stream,
    task_stream,
    report_stream,
    transmit_stream,
    warning_stream,
    warning_lowered_stream,
    town_warning_stream,
    town_warning_lowered_stream,
    figures_stream,
    noise_stream,
    count_triage_stream,
    false_alarm_stream,
    duplicate_stream,
    verify_stream,
    community_stream,
    community_action_stream,
    body_stream,
    reinforce_stream,
)
"""Every maker of a stream name the engine draws from."""
