"""Posts nobody can fill, quorums that cannot be met (CMD020–CMD023), and
duty rooms with nobody on duty in some time band (CMD024).

A post is fillable when at least ``needed`` of its ``people`` can be reached
(``reach`` > 0); it is *likely* filled when ``people × reach`` reaches
``needed``.  A quorum term needs ``k`` of its posts.
"""

from __future__ import annotations

from collections.abc import Iterator

from cmdsim.check.findings import Finding, finding
from cmdsim.check.words import say
from cmdsim.model import Calendar, District, DutyRoom, Post
from cmdsim.model.levels import TimeBand


def fillable(post: Post) -> bool:
    return post.people >= post.needed and post.reach > 0


def likely(post: Post) -> bool:
    return post.people * post.reach >= post.needed


def _bands_of(calendar: Calendar) -> tuple[TimeBand, ...]:
    """The time bands a run under this calendar can be in."""
    if calendar.weekends or calendar.holidays:
        return tuple(TimeBand)
    # No weekends and no listed holiday: the holiday shifts are never on.
    return (TimeBand.DAY, TimeBand.NIGHT)


def _empty_bands(room: DutyRoom, bands: tuple[TimeBand, ...]) -> Iterator[TimeBand]:
    """The bands whose own field is a shift of 0.

    A holiday night without its own ``holiday_night`` takes the smaller of
    the night and holiday shifts: an empty one is already named there.
    """
    staffing = room.staffing
    for band in bands:
        if band is TimeBand.HOLIDAY_NIGHT and staffing.holiday_night is None:
            continue
        if staffing.on_duty(band) == 0:
            yield band


def check_duty_rooms(district: District) -> Iterator[Finding]:
    """CMD024: a room that cannot triage at all in a band an incident can arrive in."""
    bands = _bands_of(district.calendar)
    rooms: list[tuple[DutyRoom, str]] = [(district.duty_room, "duty_room")]
    for ti, town in enumerate(district.towns):
        if town.duty_room is not None:
            rooms.append((town.duty_room, f"towns[{ti}].duty_room"))
    for room, path in rooms:
        for band in _empty_bands(room, bands):
            said = say("CMD024", room=room.id, band=band.value)
            yield finding("CMD024", said, f"{path}.staffing.{band.value}")


def check_staffing(district: District) -> Iterator[Finding]:
    for ci, command in enumerate(district.commands):
        base = f"commands[{ci}]"
        posts = {p.id: p for p in command.posts}
        for pi, post in enumerate(command.posts):
            path = f"{base}.posts[{pi}]"
            if not fillable(post):
                why = (
                    say("post.short", people=post.people, needed=post.needed)
                    if post.people < post.needed
                    else say("post.unreached")
                )
                said = say("CMD020", post=post.id, command=command.id, why=why)
                yield finding("CMD020", said, f"{path}.people")
            elif not likely(post):
                said = say(
                    "CMD021",
                    post=post.id,
                    command=command.id,
                    people=post.people,
                    reach=post.reach,
                    expected=post.people * post.reach,
                    needed=post.needed,
                )
                yield finding("CMD021", said, f"{path}.reach")
        for qi, term in enumerate(command.quorum):
            path = f"{base}.quorum[{qi}]"
            members = [posts[p] for p in term.posts if p in posts]
            can = sum(1 for p in members if fillable(p))
            if can < term.k:
                said = say("CMD022", command=command.id, k=term.k, posts=len(members), can=can)
                yield finding("CMD022", said, f"{path}.k")
                continue
            # The cheapest way to meet the term: the k posts needing fewest people.
            cheapest = sorted(members, key=lambda p: p.needed)[: term.k]
            need = sum(p.needed for p in cheapest)
            expected = sum(p.people * p.reach for p in members)
            probable = sum(1 for p in members if likely(p))
            if probable < term.k or expected < need:
                said = say(
                    "CMD023",
                    command=command.id,
                    need=need,
                    k=term.k,
                    expected=expected,
                    probable=probable,
                )
                yield finding("CMD023", said, f"{path}.k")
