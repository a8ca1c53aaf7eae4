"""The district room's queue replayed (``fastqueue.replay``): timelines worked
out by hand from the engine's rules (first come, first served; blockers
take the next officer released; one decision's duties in the plan's order)."""

from __future__ import annotations

import math

from cmdsim.analysis.fastqueue import replay


def ten(k: int, start: float) -> float:
    return 10.0


def test_one_officer_serves_in_order() -> None:
    played = replay([0.0, 1.0, 2.0], ten, [], [], [(0.0, 1)], 1, 100.0)
    assert played.reports == [10.0, 20.0, 30.0] and played.exact


def test_a_second_officer_coming_on_takes_the_waiting_report() -> None:
    # One on duty until minute 5, two from then: the second report starts at 5.
    played = replay([0.0, 1.0], ten, [], [], [(0.0, 1), (5.0, 2)], 2, 100.0)
    assert played.reports == [10.0, 15.0]


def test_a_shift_going_off_leaves_at_the_next_release() -> None:
    # Two at work when the shift drops to one at 5: the blocker takes the
    # officer freed at 10, so the report of 6 waits for the one freed at 11.
    played = replay([0.0, 1.0, 6.0], ten, [], [], [(0.0, 2), (5.0, 1)], 2, 100.0)
    assert played.reports == [10.0, 11.0, 21.0]


def test_duties_hold_officers_and_delay_later_reports() -> None:
    # A decision at 3 sets two duties (plan order: 4 then 6 minutes) with
    # two officers: the report of 4 waits for the first duty to end at 7.
    played = replay(
        [0.0, 4.0], lambda k, s: 2.0, [3.0, 3.0], [4.0, 6.0], [(0.0, 2)], 2, 100.0, [0, 0]
    )
    assert played.duties == [7.0, 9.0]
    assert played.reports == [2.0, 9.0]
    assert played.exact  # one decision's duties at one instant: the plan's order


def test_triage_lasts_its_draw_times_the_factor_at_its_start() -> None:
    # Night (before 60) doubles the work: the report waiting past 60 does not.
    def work(k: int, start: float) -> float:
        return 40.0 * (2.0 if start < 60.0 else 1.0)

    played = replay([0.0, 10.0], work, [], [], [(0.0, 1)], 1, 500.0)
    assert played.reports == [80.0, 120.0]


def test_which_things_at_one_instant_matter() -> None:
    # A report arriving as another's triage ends, in a room of one: the
    # engine's last bits decide whether it starts at its own instant or the
    # release's.  With an officer to spare, it starts at its own.
    assert not replay([0.0, 10.0], ten, [], [], [(0.0, 1)], 1, 100.0).exact
    assert replay([0.0, 10.0], ten, [], [], [(0.0, 3)], 3, 100.0).exact
    # Two reports for the last officer: which one waits is the engine's order.
    assert not replay([0.0, 5.0, 5.0], ten, [], [], [(0.0, 2)], 2, 100.0).exact
    # A report at a shift change: does the blocker or the report get the officer?
    assert not replay([0.0, 5.0], ten, [], [], [(0.0, 2), (5.0, 1)], 2, 100.0).exact
    # In an idle room two reports together take two officers either way.
    assert replay([0.0, 0.0], ten, [], [], [(0.0, 4)], 4, 100.0).exact


def test_a_roster_freeing_an_officer_in_a_shifted_run_is_not_exact() -> None:
    # The engine computes a shifted run's band changes its own way: a report
    # starting at one may start a hair apart.
    roster = [(0.0, 1), (5.0, 2)]
    assert replay([0.0, 1.0], ten, [], [], roster, 2, 100.0).exact
    assert not replay([0.0, 1.0], ten, [], [], roster, 2, 100.0, exact_rosters=False).exact


def test_nothing_ends_at_or_after_the_horizon() -> None:
    played = replay([0.0, 95.0, math.inf], ten, [], [], [(0.0, 1)], 1, 100.0)
    assert played.reports == [10.0, math.inf, math.inf]
