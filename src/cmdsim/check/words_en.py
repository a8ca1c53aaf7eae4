"""The English templates of findings' messages, by key (``CMD006`` or
``CMD001.no_lead`` where a kind has more than one sentence; a lower-case
key is a clause a message is built of).  Each renders exactly the sentence
the call site wrote before templates: ``str.format`` fields, ``{{`` for a
brace.  The Chinese are in :mod:`cmdsim.check.words_zh`."""

from __future__ import annotations

TEMPLATES: dict[str, str] = {
    # CMD006, CMD007, CMD026 (governs.py)
    "CMD006": (
        "plan {plan!r} governs no incident, so none of "
        "its duties ever runs ({duties}){still}: {why}"
    ),
    "CMD007": (
        "plan {plan!r} governs no incident, so its triggers and levels decide nothing{still}: {why}"
    ),
    "CMD026": (
        "the general plan {plan!r} decides no incident, so its {n} trigger(s) and its escalation "
        "(reassessment, hold, lowering) never run: {who}; a takeover puts it in force at the "
        "gravest level of the incidents taken over, not by its triggers"
    ),
    "duties.reports": "{n} report{s} ({ids})",
    "duties.level": "level {level}: {parts}",
    "duties.tasks": "{n} task(s)",
    "duties.activate": "{n} HQ(s) to activate",
    "duties.notify": "{n} to notify",
    "duties.reinforce": "{n} call-in(s)",
    "kept.takeover": "its takeover rule",
    "kept.merge": "its merge rules",
    "kept.still": " ({kept} still {verb}{tail})",
    "kept.not_general": (
        ": no takeover puts this plan in force, only the district's general plan {general!r}'s"
    ),
    "who.covers_only": (
        "it names no hazard, so it covers only the hazards no plan names, and every hazard here "
        "has one"
    ),
    "who.no_hazard": (
        "it names no hazard, and the engine decides an incident only by a plan naming its "
        "hazard, the district's general plan for hazards no plan names, or a plan a town "
        "plan's hand_over names"
    ),
    "who.no_room": "{hazard}: town {town!r} has no duty room to run a town plan",
    "who.town_first": "{hazard}: the town's plan {plan!r} comes first",
    "who.other": "{hazard}: plan {plan!r} governs it",
    "who.unreached": "{hazard}: no incident reaches it",
    "covered.town": "incidents in town {town!r}",
    "covered.district": "the district's incidents",
    "covered.by": "{hazard} by {plan!r}",
    "covered.more": "{shown} and {n} more",
    "covered.ruled": "{where} are decided by the plans naming their hazards ({shown})",
    "covered.bare": (
        "{bare} {has} no plan at all: the engine runs no response for their incidents, even at "
        "the levels where the coverage matrix shows this plan leading (name them in its "
        "`hazards`)"
    ),
    # CMD042 (deadlines.py)
    "CMD042": (
        "report {report!r} of plan {plan!r} is due {within:g} min after {after}; {known}, and "
        "writing ({writing}) and sending ({sending}) take a median of {median:.1f} min "
        "together, so it is on time in at most {chance:.0%} of runs, even with nothing ahead "
        "of it in the reporter's queue"
    ),
    "known.after": "its reporter knows {knowing} min after at the earliest",
    "known.at_once": "its reporter may know at once",
    "delay.fixed": "{minutes:g} min",
    "delay.median": "median {minutes:.1f} min",
    "after.occasion": "its occasion",
    "after.end": "the response ends",
    "clock.onset": "onset",
    "clock.aware": "aware",
    "clock.activation": "activation",
    "clock.decision": "decision",
    # CMD040, CMD041 (deadlines.py) and the fastest path (bounds.py)
    "CMD040": (
        "task {task!r} of plan {plan!r} {where} is due {deadline:g} min after {clock}, but "
        "takes at least {path} min"
    ),
    "task.at": "at level {level}",
    "task.in_force": "written at level {level}, in force at {shown}",
    "CMD041": (
        "report {report!r} of plan {plan!r} is due {within:g} min after {after}{limit}, but "
        "takes at least {path} min"
    ),
    "limit.applies": " where its limit {index} applies",
    "limit.level": "at level {level} and above",
    "limit.zone": "in {zone}",
    "limit.index": "where its limit {index} applies",
    "path": "{steps} = {total:g}",
    "path.first": "{sign}{minutes:g} {name}",
    "path.next": " {sign} {minutes:g} {name}",
    "step.triage": "triage",
    "step.approval": "approval",
    "step.work": "work",
    "step.call-out at most": "call-out at most",
    "step.writing": "writing",
    "step.transmission": "transmission",
    # CMD043 (daily_reports.py)
    "CMD043": (
        "plan {plan!r} can reach level I (its triggers, warning link or raise flags) but no "
        'report of it is due daily while a level-I response runs (每日续报, "daily for the '
        'gravest": a follow_up report with every <= {day:g} minutes or a daily_at time){longer}'
    ),
    "daily.longer": "; its interval follow-ups come less often: {reports}",
    "daily.every": "{report!r} every {every:g} min",
    # CMD063 (towns.py)
    "CMD063": (
        "the community handbook (community.handbook_hazards) has no chapter for {hazard!r}, a "
        "hazard the district's plans govern: on its incidents in a committee, each committee "
        "with a handbook ({prepared} of {committees}) waits for its town's instructions "
        "before its first actions, as one without a handbook does"
    ),
    # CMD019 (signals.py)
    "CMD019": (
        "{what} at {at:g} min reaches no room as it is issued: no warning channel covers "
        "{hazard}, and {unlinked}; {heard}"
    ),
    "signal.lift": "the lift of the signal",
    "signal.colour": "the {signal} signal",
    "unlinked.no_plan": "no plan governs its incidents",
    "unlinked.no_link": "plan {plan!r} has no warning link",
    "unlinked.duty_room": (
        "the link of plan {plan!r} is confirmed by the duty room, which hears of a signal by a "
        "warning channel only"
    ),
    "unlinked.issuers": "the link of plan {plan!r} counts only the {issuers} issuer's signals",
    "heard.later": "the rooms learn of it only with the figures reported at {at:g} min",
    "heard.changed": (
        "by the next point reported on the ground ({at:g} min) {shown} is in force, so no room "
        "ever learns of it"
    ),
    "heard.none": "no later point is reported on the ground, so no room ever learns of it",
    "heard.no_signal": "no signal",
    **{f"signal.{c}": f"signal {c}" for c in ("blue", "yellow", "orange", "red")},
    **{f"colour.{c}": c for c in ("blue", "yellow", "orange", "red")},
    "issuer.city": "city",
    "issuer.district": "district",
    "CMD018": (
        "the duty room confirms the link once a warning channel delivers the signal, and no "
        "warning channel covers {names}: the link never starts a level for {its} incidents"
    ),
    # CMD060-CMD062 (towns.py)
    "CMD060": (
        "town {town!r} has no special plan for {hazard!r}, "
        "which the district requires of every town"
    ),
    "CMD061": "committee {committee!r} of {town!r} has no community emergency handbook",
    "CMD062": "town {town!r} has no general plan",
    # CMD001, CMD002 (coverage.py)
    "CMD001": (
        "hazard {hazard!r} at level {levels}: no plan governs its incidents (no plan names it, "
        "and the district has no general plan naming no hazard)"
    ),
    "CMD001.no_lead": "hazard {hazard!r} at level {levels}: plan {plan!r} names no lead HQ",
    "CMD001.silent": (
        "hazard {hazard!r} at level {levels}: plan {plan!r} governs its incidents at every level "
        "but writes no response at {these} or any level below (a level includes the lower "
        "levels' actions): an incident decided at {these} gets only its lead {lead!r} called "
        "out; the general plan does not step in"
    ),
    "CMD002": "hazard {hazard!r} at level {level} in tier {tier}: {n} leads — {plans}{taken}",
    "claim": "{plan!r} (lead {lead!r})",
    "claim.taken": "; the engine decides by {plan!r}",
    # CMD004, CMD005 (stubs.py)
    "CMD004": "district {district!r} names no hazards: nothing to cover",
    "CMD005": "district {district!r} has no plans: nothing leads, nothing is checked",
    # CMD030-CMD032 (tasks.py)
    "CMD030": (
        "task {task!r} of plan {plan!r} at level {level} falls to {unit!r}, which is in none of "
        "the HQs activated ({hqs})"
    ),
    "no_hq": "no HQ",
    "CMD031": "task {task!r} holds {count} of {resource!r}, but units hold {total} in all",
    "CMD032": "task {task!r} uses {resource!r}, which {unit!r} does not hold",
    # CMD070-CMD073 (duties.py)
    "CMD070": "nobody owns {kind} of {hazard!r}: no line of the responsibility list names it",
    "CMD071": "{what} has two owners: {first!r} and {second!r}",
    "CMD072": "{what} is owned by the committee {body!r} and by the HQ {hq!r}",
    "CMD073": "{owner!r} owns {what}, which the district does not regulate (no entry in duties)",
    "duty": "{kind} of {hazard!r}",
    **{
        f"duty.{k}": k
        for k in ("supervision", "inspection", "coordination", "response", "investigation")
    },
    # CMD003, CMD010-CMD017 (triggers.py) and bands (intervals.py)
    "CMD003": (
        "plan {plan!r} reaches level {level} but sets nothing in motion there: no response "
        "under levels at {level} or below, so an incident at it gets {gets}"
    ),
    "gets.lead": "only the plan's lead called out",
    "gets.nobody": "nobody called out",
    "CMD017": (
        "plan {plan!r} reaches level {level} but writes no response for it: an incident at "
        "{level} gets what level {below} sets in motion (a level includes every lower level's "
        "actions), nothing of its own"
    ),
    "CMD016": "plan {plan!r} sets out responses at {shown} but no level is ever decided: {why}",
    "why.no_trigger": "it has no trigger (triggers: [])",
    "why.none_fire": "none of its {n} triggers can fire",
    "CMD012": (
        "'{condition}' tests a warning signal, but none of the plan's hazards is forecastable"
    ),
    "CMD010": (
        "level {level} trigger can never fire: '{condition}' can never hold ({reason}) and no "
        "other condition can"
    ),
    "CMD010.impossible": "level {level} trigger needs '{condition}', which no incident can have",
    "CMD010.contradict": "level {level} trigger needs {texts} at once, which contradict each other",
    "CMD011": "'{condition}' can never hold ({reason})",
    "dead.impossible": "no incident can have it",
    "dead.contradicts": "it contradicts the trigger's all_of",
    "CMD015": (
        "plan {plan!r}: level {higher} starts at {high}, below level {lower}, which starts at {low}"
    ),
    "CMD013": (
        "plan {plan!r}: {both} falls in the band of level {lower} ({low}) and of level "
        "{higher} ({high})"
    ),
    "CMD014": "plan {plan!r}: {hole} sets no level, though smaller and larger values do",
    "band.signal": "signal {colour}",
    "band.signals": "signal {low} to {high}",
    "band.or_more": "{attribute} {lo:g} or more",
    "band.equal": "{attribute} = {lo:g}",
    "band.from_to": "{attribute} from {lo:g} to {hi:g}",
    "band.in": "{attribute} in {left}{lo:g}, {hi}{right}",
    # CMD020-CMD024 (staffing.py)
    "CMD020": "post {post!r} of {command!r} can never be filled: {why}",
    "post.short": "{people} people for {needed} needed",
    "post.unreached": "nobody is ever reached (reach 0)",
    "CMD021": (
        "post {post!r} of {command!r}: {people} people × reach {reach:g} = {expected:g} "
        "expected, {needed} needed"
    ),
    "CMD022": "quorum of {command!r} needs {k} of {posts} posts, but only {can} can be filled",
    "CMD023": (
        "quorum of {command!r} needs at least {need} people in {k} posts; its posts can be "
        "expected to bring {expected:g} people, {probable} posts likely filled"
    ),
    "CMD024": (
        "duty room {room!r} has nobody on duty in the {band} band (staffing.{band}: 0): its "
        "reports wait untriaged until the next band's shift comes on"
    ),
    # CMD050, CMD051 (escalation.py)
    "CMD050": "escalation goes round in a circle: {names}",
    "CMD051": (
        "town plan {plan!r} has no hand_over and no district plan covers {alone}: an incident "
        "outgrowing it has nowhere to go"
    ),
    # CMD025, CMD044, CMD045 (reach.py)
    "levels.one": "level {level}",
    "levels.many": "levels {first} and {last}",
    "CMD025": (
        "plan {plan!r} calls {n} officer{s} in to {room} at level {level}, but is only ever at "
        "{reach}: a call-in is in force at its level and above, so these officers are never "
        "called in"
    ),
    "CMD044": (
        "report {report!r} is for level {level} and above, but plan {plan!r} is only ever at "
        "{reach}: the report is never called for"
    ),
    "CMD045": (
        "report {report!r} follows each change of level (upon: [level]), but plan {plan!r} is "
        "only ever at {reach}: its level never rises or falls while a response runs, so the "
        "report is called for only when a closed response opens again{ahead}"
    ),
    "ahead": " (or at its first level, when reported ahead of a town plan)",
    # CMD008, CMD009 (governs.py)
    "CMD008": (
        "report {report!r}: this limit ({within:g} min) never applies: limits[{first}] "
        "({earlier:g} min) comes first and applies wherever it would (the first limit that "
        "applies is taken)"
    ),
    "CMD008.unreached": (
        "report {report!r}: this limit ({within:g} min) is for level {level} and above, but "
        "plan {plan!r} is only ever at {reach}"
    ),
    "CMD009": (
        "plan {plan!r} is a {tier}-tier plan, so its {named} never {take} effect: the engine "
        "hands an incident over only from a town plan (tier: town) its town's room decides by"
    ),
    "tier.district": "district",
    "tier.town": "town",
    "tier.community": "community",
    # CMD080-CMD082 (sites.py, site_tasks.py)
    "CMD080": (
        "plans {first!r} (lead {first_lead}) and {second!r} (lead {second_lead}) can both lead "
        "at site type {site!r} at level {levels}, and no merge rule makes one response of "
        "their hazards"
    ),
    "CMD081": "merge rule {rule!r} names {hazard!r}, whose incidents no plan with a lead governs",
    "CMD082": (
        "merge rule {rule!r}: plans {first} and {second} both write task {task!r} for {unit} "
        "(from level {level}); at a merged site it is one task, {first}'s ({mine}) at one "
        "level, and {second}'s ({theirs}) is not run"
    ),
    "asks.none": "no deadline",
    "asks.deadline": "deadline {at:g}",
    "asks.held": "{count} {name}",
    # CMD090 (run.py)
    "CMD090": "nothing in the district includes this file",
    # CMD052-CMD054 (town_plans.py)
    "CMD052": (
        "town plan {plan!r} governs {hazards}, which district plan {district_plan!r} starts "
        "with the signal (warnings), but has no warning link: the town room starts only when "
        "a report reaches it; add `warnings: {{levels: {{{mapping}}}, confirm_by: office}}` to "
        "it (a town link starts only the levels its triggers reach; the district plan's link "
        "starts the rest)"
    ),
    "CMD053": (
        "town plan {plan!r} calls {n} officer(s) in to {room!r} ({whose}) at level {level}; a "
        "town plan strengthens only its own town's duty ({mine}): call them in to it, or put "
        "the call-in in the district plan for the hazard"
    ),
    "room.district": "the district's duty room",
    "room.other": "a duty room not of {town!r}",
    "room.own": "its own is {own!r}",
    "room.none": "{town!r} has no duty room",
    "CMD054": (
        "town plan {plan!r} calls no officers in to its own room {own!r} at level {level}, "
        "where district plan {district_plan!r} for {hazard!r} calls {called} (加强值班 is every "
        "tier's office's): add `reinforce: [{{room: {own}, officers: N}}]` to its level "
        "{level}, N within what the room's shifts can take"
    ),
    "called": "{n} to {room!r}",
    # CMD091 (accept.py)
    "CMD091": "accepts {code} {where}, but no {code} finding stands there ({more} elsewhere)",
    "CMD091.unknown": "accepts {code} {where}, but {code!r} is no finding code",
    "CMD091.unacceptable": (
        "accepts {code} {where}, but {code} cannot be accepted: remove the acceptance it stands for"
    ),
    "CMD091.taken": (
        "accepts {code} {where}, but every finding it matches is accepted by accept[{taken}] "
        "before it"
    ),
    "CMD091.none": "accepts {code} {where}, but the check makes no {code} finding",
    "unused.more": "{first} and {n} more stand",
    "unused.one": "{first} stands",
    "limited.at": "at {parts}",
    "limited.anywhere": "anywhere",
    **{
        f"limited.{k}": f"{k} {{value!r}}"
        for k in ("plan", "report", "path", "file", "hazard", "scenario")
    },
    # CMD027, CMD028 (officer_tiers.py)
    "CMD027": (
        "town {town!r} has no officers and a report from it finds nobody at any tier it "
        "climbs: it reaches the duty room at the moment it is observed, relayed by nobody and "
        "never missed"
    ),
    "CMD027.room": (
        "town {town!r} has a duty room ({room!r}) but no officers: the town officer is who "
        "reports to the town's room on the way to the district, so the room never hears from "
        "the information officers"
    ),
    "CMD028.no_committees": (
        "town {town!r} has no committees, so no compound or committee officers: an "
        "information officers' report from it skips those tiers ("
        "the engine passes the tier over: no relay time, no miss)"
    ),
    "CMD028.committees": (
        "{n} of {of} committees of town {town!r} have no {tier} officers ({names}): a report "
        "from them skips the {tier} tier (the engine passes the tier over: no relay time, no miss)"
    ),
    "CMD028.town": (
        "town {town!r} has no officers: a report from it skips the town"
        " tier (the engine passes the tier over: no relay time, no miss)"
    ),
    "CMD028.unset": (
        "officers.tiers gives no relay for {names}, a tier the officers' rep"
        "orts climb (the engine passes the tier over: no relay time, no miss)"
    ),
    "CMD028.district": (
        "no district officers (officers.district: 0), while {to} report{s} to the district: "
        "the last hop, the district officer's, is passed over (t"
        "he engine passes the tier over: no relay time, no miss)"
    ),
    "tiers.names": "{ids}{more}",
    "tiers.more": " and {n} more",
    **{f"officer_tier.{t}": t for t in ("compound", "committee", "town", "district")},
}
"""Every message and clause, in English."""
