"""Generate the bundled district's towns and commands (deterministic, no randomness).

Writes ``scenarios/district/towns.yaml`` (the 36 streets and towns of a
Pudong-shaped district with their duty rooms, "1+10+X" plan sets and about
1,300 residential and village committees), ``scenarios/district/commands.yaml``
(the general HQ, the 25 specialised HQs and the 36 towns' own emergency
commands with their posts and quorum rules), ``scenarios/district/town_units.yaml``
(each town's own units) and the towns' structured plan sets:
``scenarios/district/town_plans/<town>.yaml`` (the general plan and the ten
required special plans of one town) listed in ``scenarios/district/town_plans.yaml``.

Sourced: 12 streets + 24 towns (their real names), 25 specialised HQs, the
8,796 information officers in four tiers (2023 report of the district
Emergency Management Bureau).  Illustrative: committee counts per town, their
names, compounds, the split of officers between tiers, duty-room and call-out
timings, post sizes and quorum rules.

Usage::

    python tools/gen_district.py            # writes into scenarios/district/
    python tools/gen_district.py --out DIR  # writes into DIR (for the byte test)
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

TOTAL_OFFICERS = 8796  # source: seed report (2023), four-tier network
DISTRICT_OFFICERS = 40  # illustrative
TOWN_OFFICERS = 5  # illustrative, per street or town
COMMITTEE_OFFICERS = 2  # illustrative, per residential or village committee

# The "10" of each town's "1+10+X" (illustrative choice of the ten hazards;
# the seed gives the 1+10+X shape, not the list).  Kept in the same order
# as district.yaml's town_required.
TOWN_REQUIRED = (
    "flood_typhoon",
    "fire",
    "gas",
    "road_traffic",
    "hazardous_chemicals",
    "construction",
    "special_equipment",
    "public_health",
    "power_outage",
    "crowd_safety",
)

# (id, Chinese name, residential committees, village committees, X others).
# Names are the real 12 streets of Pudong New Area; committee counts are
# illustrative (the district has roughly 1,300 residential and village
# committees in all).
STREETS = (
    ("weifang_xincun_street", "潍坊新村街道", 31, 0),
    ("lujiazui_street", "陆家嘴街道", 32, 0),
    ("zhoujiadu_street", "周家渡街道", 40, 0),
    ("tangqiao_street", "塘桥街道", 22, 0),
    ("shanggang_xincun_street", "上钢新村街道", 34, 0),
    ("nanmatou_road_street", "南码头路街道", 32, 0),
    ("hudong_xincun_street", "沪东新村街道", 32, 0),
    ("jinyang_xincun_street", "金杨新村街道", 42, 0),
    ("yangjing_street", "洋泾街道", 43, 0),
    ("puxing_road_street", "浦兴路街道", 42, 0),
    ("dongming_road_street", "东明路街道", 38, 0),
    ("huamu_street", "花木街道", 40, 0),
)
TOWNS = (
    ("chuansha_town", "川沙新镇", 58, 45),
    ("gaoqiao_town", "高桥镇", 38, 10),
    ("beicai_town", "北蔡镇", 42, 5),
    ("heqing_town", "合庆镇", 14, 26),
    ("tang_town", "唐镇", 40, 10),
    ("caolu_town", "曹路镇", 38, 14),
    ("jinqiao_town", "金桥镇", 18, 6),
    ("gaohang_town", "高行镇", 28, 6),
    ("gaodong_town", "高东镇", 16, 11),
    ("zhangjiang_town", "张江镇", 50, 8),
    ("sanlin_town", "三林镇", 80, 12),
    ("huinan_town", "惠南镇", 36, 26),
    ("zhoupu_town", "周浦镇", 36, 15),
    ("xinchang_town", "新场镇", 10, 18),
    ("datuan_town", "大团镇", 6, 20),
    ("kangqiao_town", "康桥镇", 36, 12),
    ("hangtou_town", "航头镇", 22, 14),
    ("zhuqiao_town", "祝桥镇", 20, 37),
    ("nicheng_town", "泥城镇", 10, 20),
    ("xuanqiao_town", "宣桥镇", 7, 16),
    ("shuyuan_town", "书院镇", 8, 16),
    ("wanxiang_town", "万祥镇", 4, 8),
    ("laogang_town", "老港镇", 3, 11),
    ("nanhui_xincheng_town", "南汇新城镇", 40, 12),
)

# The X of "1+10+X": extra special plans by where a town lies (illustrative).
COASTAL = {
    "gaoqiao_town",
    "caolu_town",
    "heqing_town",
    "chuansha_town",
    "zhuqiao_town",
    "huinan_town",
    "shuyuan_town",
    "laogang_town",
    "nicheng_town",
    "nanhui_xincheng_town",
    "datuan_town",
    "wanxiang_town",
}
AIRPORT = {"zhuqiao_town", "chuansha_town"}
RAIL = {"lujiazui_street", "tangqiao_street", "huamu_street", "zhangjiang_town"}
RIVERSIDE = {"lujiazui_street", "weifang_xincun_street", "yangjing_street", "gaoqiao_town"}
# Streets lying (mostly) inside the inner ring road (内环), for reporting limits
# by place.  illustrative: a street the ring road crosses goes where most of it
# lies; every other street and town is "outer".
INNER_RING = {
    "lujiazui_street",
    "weifang_xincun_street",
    "tangqiao_street",
    "yangjing_street",
    "nanmatou_road_street",
    "zhoujiadu_street",
    "shanggang_xincun_street",
}


def extras(town_id: str, village: int) -> tuple[list[str], list[str]]:
    """Extra special plans (hazard ids) and other plans (free names) of a town."""
    special = ["food_safety", "water_supply"]
    if town_id in COASTAL:
        special.append("water_search_rescue")
    if town_id in AIRPORT:
        special.append("aviation")
    if town_id in RAIL:
        special.append("rail_transit")
    if village:
        special.append("animal_epidemic")
    other = ["大型活动安全保障预案 major-event safety", "学校安全预案 school safety"]
    if town_id in RIVERSIDE:
        other.append("滨江人员密集区域预案 riverside crowds")
    return special, other


def committees(town_id: str, residential: int, village: int) -> list[dict[str, int | str]]:
    out: list[dict[str, int | str]] = []
    for i in range(residential):
        out.append(
            {
                "id": f"{town_id}_r{i + 1:02d}",
                "name": f"第{i + 1}居民委员会",
                "kind": "residential",
                # 2..6 compounds, a fixed pattern (illustrative)
                "compounds": 2 + (i * 7 + len(town_id)) % 5,
            }
        )
    for i in range(village):
        out.append(
            {
                "id": f"{town_id}_v{i + 1:02d}",
                "name": f"第{i + 1}村民委员会",
                "kind": "village",
                # 6..13 village groups (村民小组), a fixed pattern (illustrative)
                "compounds": 6 + (i * 5 + len(town_id)) % 8,
            }
        )
    return out


def build() -> tuple[list[dict[str, object]], int]:
    towns: list[dict[str, object]] = []
    all_committees: list[dict[str, int | str]] = []
    for kind, table in (("street", STREETS), ("town", TOWNS)):
        for town_id, name, residential, village in table:
            members = committees(town_id, residential, village)
            all_committees.extend(members)
            towns.append(
                {
                    "id": town_id,
                    "name": name,
                    "kind": kind,
                    "village": village,
                    "committees": members,
                }
            )
    n_committees = len(all_committees)
    compound_total = (
        TOTAL_OFFICERS
        - DISTRICT_OFFICERS
        - TOWN_OFFICERS * len(towns)
        - COMMITTEE_OFFICERS * n_committees
    )
    assert compound_total > 0, compound_total
    # Compound-tier officers in proportion to compounds, largest remainder
    # (ties broken by position), so the sum is exact and reproducible.
    compounds = [int(c["compounds"]) for c in all_committees]
    total_compounds = sum(compounds)
    shares = [compound_total * n / total_compounds for n in compounds]
    base = [math.floor(s) for s in shares]
    left = compound_total - sum(base)
    order = sorted(range(n_committees), key=lambda i: (-(shares[i] - base[i]), i))
    for i in order[:left]:
        base[i] += 1
    for committee, count in zip(all_committees, base, strict=True):
        committee["compound_officers"] = count
    total = (
        DISTRICT_OFFICERS
        + TOWN_OFFICERS * len(towns)
        + COMMITTEE_OFFICERS * n_committees
        + sum(base)
    )
    assert total == TOTAL_OFFICERS, total
    return towns, n_committees


def towns_yaml() -> str:
    towns, n_committees = build()
    lines = [
        "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
        "# source: the 12 streets and 24 towns of Pudong New Area (real names);",
        "#   the 1+10+X plan sets and the 8,796 four-tier information officers",
        "#   (2023 rule-of-law report of the district Emergency Management Bureau).",
        "# illustrative: committee counts and names, compounds per committee, officers",
        f"#   per tier ({DISTRICT_OFFICERS} district, {TOWN_OFFICERS} per town, "
        f"{COMMITTEE_OFFICERS} per committee, the rest at compound tier),",
        "#   duty-room staffing and timings, which X plans each town holds.",
        f"# {len(towns)} towns, {n_committees} committees.",
    ]
    for town in towns:
        special, other = extras(str(town["id"]), int(str(town["village"])))
        lines += [
            f"- id: {town['id']}",
            f"  name: {town['name']}",
            f"  kind: {town['kind']}",
            f"  officers: {TOWN_OFFICERS}  # illustrative",
            f"  zone: {'inner' if town['id'] in INNER_RING else 'outer'}"
            "  # inside the inner ring road or not (illustrative, approximate)",
            "  duty_room:  # illustrative timings (minutes)",
            f"    id: {town['id']}_duty_room",
            f"    name: {town['name']}值班室",
            "    staffing: {day: 2, night: 1, holiday: 1}",
            "    triage: {kind: lognormal, median: 6, sigma: 0.5}",
            "    approval: {kind: lognormal, median: 12, sigma: 0.6}",
            "    forward: {kind: lognormal, median: 5, sigma: 0.4}",
            "    factors: {night: 1.5, holiday: 1.3}",
            "  plan_set:  # 1 general + the 10 required special plans + X others",
            "    general: true",
            "    special: [" + ", ".join([*TOWN_REQUIRED, *special]) + "]",
            "    other:",
            *[f"      - {name}" for name in other],
            "  committees:",
        ]
        for c in town["committees"]:  # type: ignore[attr-defined]
            lines.append(
                f"    - {{id: {c['id']}, name: {c['name']}, kind: {c['kind']}, "
                f"compounds: {c['compounds']}, officers: {COMMITTEE_OFFICERS}, "
                f"compound_officers: {c['compound_officers']}}}"
            )
    return "\n".join(lines) + "\n"


# --- commands -------------------------------------------------------------------

TOWNS_MEMBER = "*towns"
"""Stands in a member list for the 36 towns' emergency offices: member units
of the HQ that send no liaison to its room (each runs its own town command),
so they hold no post and count in no quorum."""

# (id, Chinese name, hazard, lead unit, member units).  The 25 specialised HQs
# are sourced as a count (seed: "initially set at 25"); their domains follow
# real district special plans, their membership is illustrative.
SPECIAL_HQS = (
    (
        "flood_typhoon_hq",
        "区防汛防台指挥部",
        "water_authority",
        (
            "meteorological_office",
            "emergency_bureau",
            "public_security",
            "fire_rescue",
            "construction_transport",
            "housing_bureau",
            "power_company",
            TOWNS_MEMBER,
        ),
    ),
    (
        "gas_hq",
        "区燃气事故应急处置指挥部",
        "construction_transport",
        (
            "gas_company",
            "fire_rescue",
            "public_security",
            "health_commission",
            "emergency_bureau",
            "housing_bureau",
            TOWNS_MEMBER,
        ),
    ),
    (
        "road_traffic_hq",
        "区道路交通事故应急处置指挥部",
        "traffic_police",
        (
            "public_security",
            "fire_rescue",
            "health_commission",
            "construction_transport",
            "emergency_bureau",
            "ecology_environment",
        ),
    ),
    (
        "hazardous_chemicals_hq",
        "区危险化学品事故应急处置指挥部",
        "emergency_bureau",
        (
            "fire_rescue",
            "ecology_environment",
            "public_security",
            "traffic_police",
            "health_commission",
            "market_regulation",
        ),
    ),
    (
        "fire_hq",
        "区火灾事故应急处置指挥部",
        "fire_rescue",
        ("public_security", "health_commission", "emergency_bureau", "power_company"),
    ),
    (
        "construction_hq",
        "区建设工程事故应急处置指挥部",
        "construction_transport",
        ("fire_rescue", "emergency_bureau", "health_commission", "public_security"),
    ),
    (
        "special_equipment_hq",
        "区特种设备事故应急处置指挥部",
        "market_regulation",
        ("fire_rescue", "emergency_bureau", "health_commission", "public_security"),
    ),
    (
        "grain_hq",
        "区粮食应急指挥部",
        "development_reform",
        ("commerce", "market_regulation", "finance_bureau", "public_security"),
    ),
    (
        "public_health_hq",
        "区突发公共卫生事件应急指挥部",
        "health_commission",
        ("disease_control", "public_security", "education", "civil_affairs", "propaganda"),
    ),
    (
        "food_safety_hq",
        "区食品安全事故应急指挥部",
        "market_regulation",
        ("health_commission", "disease_control", "public_security", "education"),
    ),
    (
        "drug_safety_hq",
        "区药品安全事件应急指挥部",
        "market_regulation",
        ("health_commission", "public_security", "propaganda"),
    ),
    (
        "animal_epidemic_hq",
        "区重大动物疫情应急指挥部",
        "agriculture",
        ("market_regulation", "public_security", "health_commission", TOWNS_MEMBER),
    ),
    (
        "environment_hq",
        "区突发环境事件应急指挥部",
        "ecology_environment",
        ("water_authority", "emergency_bureau", "public_security", "health_commission"),
    ),
    (
        "earthquake_hq",
        "区抗震救灾指挥部",
        "emergency_bureau",
        (
            "fire_rescue",
            "construction_transport",
            "housing_bureau",
            "civil_affairs",
            "health_commission",
        ),
    ),
    (
        "geological_hq",
        "区地质灾害应急指挥部",
        "planning_resources",
        ("emergency_bureau", "construction_transport", "water_authority"),
    ),
    (
        "snow_freeze_hq",
        "区低温雨雪冰冻灾害应急指挥部",
        "emergency_bureau",
        ("meteorological_office", "construction_transport", "power_company", "civil_affairs"),
    ),
    (
        "water_search_rescue_hq",
        "区水上搜救应急指挥部",
        "maritime_bureau",
        ("water_authority", "fire_rescue", "public_security", "health_commission"),
    ),
    (
        "aviation_hq",
        "区民用航空器事故应急指挥部",
        "airport_authority",
        ("fire_rescue", "public_security", "health_commission", "emergency_bureau"),
    ),
    (
        "rail_transit_hq",
        "区轨道交通运营突发事件应急指挥部",
        "metro_operator",
        ("construction_transport", "public_security", "fire_rescue", "health_commission"),
    ),
    (
        "power_outage_hq",
        "区大面积停电事件应急指挥部",
        "science_economy",
        ("power_company", "public_security", "construction_transport", "emergency_bureau"),
    ),
    (
        "water_supply_hq",
        "区供水突发事件应急指挥部",
        "water_authority",
        ("water_company", "health_commission", "public_security", TOWNS_MEMBER),
    ),
    (
        "crowd_safety_hq",
        "区人员密集场所突发事件应急指挥部",
        "public_security",
        ("culture_tourism", "emergency_bureau", "health_commission", "traffic_police"),
    ),
    (
        "tourism_hq",
        "区旅游突发事件应急指挥部",
        "culture_tourism",
        ("public_security", "health_commission", "market_regulation"),
    ),
    (
        "cyber_security_hq",
        "区网络与信息安全应急指挥部",
        "cyberspace_office",
        ("science_economy", "public_security", "propaganda"),
    ),
    (
        "energy_supply_hq",
        "区能源供应应急指挥部",
        "development_reform",
        ("science_economy", "power_company", "gas_company", "commerce"),
    ),
)

GENERAL_MEMBERS = (
    "emergency_bureau",
    "public_security",
    "fire_rescue",
    "health_commission",
    "construction_transport",
    "water_authority",
    "propaganda",
    "civil_affairs",
    TOWNS_MEMBER,
)


def liaisons_needed(n: int) -> int:
    """Liaisons that must be in the room: a little over half (illustrative)."""
    return n // 2 + 1


def town_ids() -> list[str]:
    return [row[0] for row in (*STREETS, *TOWNS)]


def command_lines(
    ident: str, name: str, lead: str, members: tuple[str, ...], general: bool
) -> list[str]:
    lines = [
        f"- id: {ident}",
        f"  name: {name}",
    ]
    if general:
        lines.append("  general: true")
    listed = [m for m in members if m != TOWNS_MEMBER]
    if TOWNS_MEMBER in members:
        listed += [f"{town}_office" for town in town_ids()]
        lines.append("  # the 36 towns' emergency offices are member units without a liaison post")
    members = tuple(m for m in members if m != TOWNS_MEMBER)
    lines += [
        f"  lead_unit: {lead}",
        "  member_units: [" + ", ".join(listed) + "]",
        "  # illustrative: call-out of one person, slower at night and on holidays",
        f"  callout: {{kind: lognormal, median: {30 if general else 25}, sigma: 0.5}}",
        "  factors: {night: 1.6, holiday: 1.4}",
        "  source: seed report 2023 (the HQ exists); posts and timings illustrative",
        "  posts:",
        "    - {id: commander, name: 总指挥, role: commander, unit: district_government, "
        "people: 2, needed: 1, reach: 0.9}",
        f"    - {{id: deputies, name: 副总指挥, role: deputy, unit: {lead}, "
        "people: 3, needed: 1, reach: 0.9}",
        "    - {id: duty_staff, name: 指挥部办公室值守, role: staff, unit: "
        f"{lead}, people: 4, needed: 2, reach: 0.95, "
        "callout: {kind: lognormal, median: 10, sigma: 0.4}}",
    ]
    for unit in members:
        lines.append(
            f"    - {{id: liaison_{unit}, name: 联络员 {unit}, role: liaison, unit: {unit}, "
            "people: 2, needed: 1, reach: 0.9}"
        )
    k = liaisons_needed(len(members))
    lines += [
        f"  # quorum (illustrative): 1 of commander/deputies, the duty staff, "
        f"{k} of {len(members)} liaisons",
        "  quorum:",
        "    - {posts: [commander, deputies], k: 1}",
        "    - {posts: [duty_staff], k: 1}",
        "    - posts: [" + ", ".join(f"liaison_{u}" for u in members) + "]",
        f"      k: {k}",
    ]
    return lines


def commands_yaml() -> str:
    lines = [
        "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
        '# source: 1 general HQ + 25 specialised HQs ("1+N", N initially 25), seed report 2023.',
        "# illustrative: HQ names beyond the domains the seed names, membership, posts,",
        "#   people pools, reach, call-out delays and quorum rules.",
    ]
    lines += command_lines(
        "general_hq", "区应急总指挥部", "emergency_bureau", GENERAL_MEMBERS, general=True
    )
    for ident, name, lead, members in SPECIAL_HQS:
        lines += command_lines(ident, name, lead, members, general=False)
    assert len(SPECIAL_HQS) == 25
    lines += [
        "# The towns' own emergency commands (街镇应急指挥部), one per street or town.",
        "# source: each town has its 1+10+X plan set (seed report 2023), whose plans",
        "#   name a town command; illustrative: posts, people, reach, call-out, quorum.",
    ]
    for kind_table in (STREETS, TOWNS):
        for town_id, town_name, _, _ in kind_table:
            lines += town_command_lines(town_id, town_name)
    return "\n".join(lines) + "\n"


# --- the towns' own commands, units and structured plans ------------------------

# Each town's own units (illustrative: the kinds are those a Shanghai street or
# town runs -- its emergency office, a comprehensive rescue team, the community
# workers of its committees -- sizes and pumps are stand-ins).
TOWN_UNITS = (
    ("office", "应急管理办公室 emergency office", 3),
    ("rescue_team", "综合应急救援队 rescue team", 3),
    ("community", "居村工作力量 community workers", 6),
)
TOWN_PUMPS = 4  # illustrative: small drainage pumps a town's rescue team holds


def town_command_lines(town_id: str, town_name: str) -> list[str]:
    office = f"{town_id}_office"
    return [
        f"- id: {town_id}_hq",
        f"  name: {town_name}突发事件应急指挥部",
        f"  town: {town_id}",
        f"  lead_unit: {office}",
        f"  member_units: [{town_id}_rescue_team, {town_id}_community]",
        "  # illustrative: the town's leaders and office are minutes away",
        "  callout: {kind: lognormal, median: 20, sigma: 0.5}",
        "  factors: {night: 1.5, holiday: 1.3}",
        "  source: town command of the town's plan set (seed report 2023); posts and timings "
        "illustrative",
        "  posts:",
        f"    - {{id: commander, name: 总指挥 (街镇主要领导), role: commander, unit: {office}, "
        "people: 2, needed: 1, reach: 0.9}",
        f"    - {{id: office_staff, name: 应急办值守, role: staff, unit: {office}, people: 3, "
        "needed: 1, reach: 0.95, callout: {kind: lognormal, median: 8, sigma: 0.4}}",
        f"    - {{id: liaison_rescue_team, name: 救援队联络员, role: liaison, unit: "
        f"{town_id}_rescue_team, people: 2, needed: 1, reach: 0.9}}",
        "  quorum:  # illustrative: a leader and the office",
        "    - {posts: [commander], k: 1}",
        "    - {posts: [office_staff], k: 1}",
    ]


def town_units_yaml() -> str:
    lines = [
        "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
        "# Each street's and town's own units, named in its town plans.",
        "# illustrative: the kinds of unit (emergency office, rescue team, community",
        f"#   workers), their staff and the rescue team's {TOWN_PUMPS} small drainage pumps.",
    ]
    for table in (STREETS, TOWNS):
        for town_id, town_name, _, _ in table:
            for suffix, label, staff in TOWN_UNITS:
                extra = ""
                if suffix == "rescue_team":
                    extra = (
                        f", resources: [{{id: {town_id}_pumps, name: {town_name}小型排水泵, "
                        f"capacity: {TOWN_PUMPS}}}]"
                    )
                lines.append(
                    f"- {{id: {town_id}_{suffix}, name: {town_name}{label}, staff: {staff}{extra}}}"
                )
    return "\n".join(lines) + "\n"


# The town tier of each hazard: the town handles what the district plan grades
# IV (一般) with its own command and units, reports up within 30 minutes, and
# hands over to the district plan when the incident goes beyond IV; it takes
# the incident back when the district plan de-escalates to IV.
# illustrative: the town's share of the work, every duration and deadline.
LN = "{{kind: lognormal, median: {m}, sigma: {s}}}"

# Flood and typhoon, gas and road traffic in full: (hazard, Chinese plan name,
# district plan, IV conditions with their source notes, tasks).  A task is
# (id suffix, Chinese name, unit suffix, median minutes, deadline, resources).
FULL_TOWN_PLANS = (
    (
        "flood_typhoon",
        "防汛防台应急预案",
        "flood_typhoon_plan",
        (
            ("signal >= blue", "source: a blue rainstorm/typhoon signal starts level IV"),
            ("rainfall >= 35", "source: Shanghai blue on 35 mm in one hour"),
        ),
        (
            ("patrols", "巡查积水点、危旧房、下立交", "community", 40, 90, None),
            ("pumping", "小型泵排水、沙袋封堵", "rescue_team", 45, 90, 2),
            ("transfer", "转移低洼地区、临时工棚人员", "community", 90, 240, None),
        ),
    ),
    (
        "gas",
        "燃气事故应急预案",
        "gas_plan",
        (
            ("deaths >= 0", "any gas accident (work-safety class IV below 3 deaths)"),
            ("serious_injuries >= 0", ""),
            ("households >= 0", ""),
        ),
        (
            ("first_response", "先期处置、警戒疏散周边", "rescue_team", 20, 30, None),
            ("resident_notice", "停气告知与居民安置", "community", 60, 180, None),
        ),
    ),
    (
        "road_traffic",
        "道路交通事故应急预案",
        "road_traffic_plan",
        (
            ("deaths >= 0", "any road traffic accident the district grades IV"),
            ("serious_injuries >= 0", ""),
            ("traffic_cut_hours >= 0", ""),
        ),
        (
            ("first_response", "协助警戒、疏导车辆行人", "rescue_team", 20, 30, None),
            ("family_support", "伤亡人员家属接待、善后", "community", 60, 180, None),
        ),
    ),
)

# The other seven of the ten share one template plan (work-safety class IV, a
# first response by the rescue team, the town's report up; each hazard hands
# over to its own district plan).  source: work-safety
# accident classes (general knowledge); illustrative: the template itself.
TEMPLATE_TOWN_PLANS = (
    ("fire", "火灾事故应急预案"),
    ("hazardous_chemicals", "危险化学品事故应急预案"),
    ("construction", "建设工程事故应急预案"),
    ("special_equipment", "特种设备事故应急预案"),
    ("public_health", "突发公共卫生事件应急预案"),
    ("power_outage", "大面积停电事件应急预案"),
    ("crowd_safety", "人员密集场所突发事件应急预案"),
)
assert {row[0] for row in FULL_TOWN_PLANS} | {row[0] for row in TEMPLATE_TOWN_PLANS} == set(
    TOWN_REQUIRED
)


# 预警响应联动 at the town tier: the town plans whose district plan has a warning
# link and whose own triggers have the same shape (the district plan's level IV
# conditions, "signal >= blue") start their level with the signal as the
# district's does.  Only the flood and typhoon plan has such a link.
TOWN_WARNING_LINKS = {
    "flood_typhoon": [
        "  # 预警响应联动: the signal starts the town's level with it, confirmed by the",
        "  #   town HQ's office, with no triage queue and no leader's approval.",
        "  # source: the whole city starts the matching response with the signal",
        '  #   ("全市防汛防台IV级响应同步启动", 5 Jun 2023; Shanghai flood HQ news).',
        "  # assumed: the town plan links the signal as the district plan does (the",
        "  #   district's link, ordered to the town plan's one level: every colour from",
        "  #   blue starts IV, the town plan's top; III and above are the district",
        "  #   plan's, whose own link starts them).",
        "  # illustrative: the district office's confirmation delay (median 3.5",
        "  #   minutes by day), times the town room's night and holiday factors.",
        "  warnings:",
        "    levels: {blue: IV}",
        "    confirm_by: office",
        "    confirm: {kind: lognormal, median: 3.5, sigma: 0.55}",
        "    issuers: [city, district]",
    ],
}


# 加强值班 at the town tier: the flood and typhoon plans' level IV strengthens
# the duty of every tier's flood-control office, the town's own duty room
# included; the town plan calls its officers in to its own room (a town plan
# directs only its town's bodies: CMD053).  Sized against the town room's
# roster (day 2, night 1, holiday 1): one more officer doubles the night's
# and holiday's one and brings the day's to three, within the town's five
# town-tier officers.
TOWN_REINFORCE = {"flood_typhoon": 1}  # officers at level IV (illustrative)


def _town_reinforce(town_id: str, hazard: str) -> list[str]:
    """The call-in of the town plan's level IV to its own duty room, if any."""
    officers = TOWN_REINFORCE.get(hazard)
    if officers is None:
        return []
    return [
        '      # 加强值班: source: typhoon-plan templates ("IV级: 防汛抗旱指挥办事机构',
        "      #   加强值班\", every tier's flood-control office, the town's included);",
        "      #   illustrative: how many officers (the district plan calls 1 in to its",
        "      #   room at IV), their 30 minutes to arrive (the district's).",
        "      reinforce:",
        f"        - {{room: {town_id}_duty_room, officers: {officers}, "
        "arrive: {kind: lognormal, median: 30, sigma: 0.4}}  # illustrative",
    ]


def _town_reports(town_id: str) -> list[str]:
    """The town room's reports up, written once per file (``&reports``)."""
    room = f"{town_id}_duty_room"
    return [
        "  # source: a first report by phone within 30 minutes of learning of it, in",
        "  #   writing within 1 hour (commonly written into plans); illustrative: the",
        "  #   town room reports to the district duty room, durations.",
        "  reports: &reports",
        f"    - {{id: town_phone_report, name: 街镇电话报告区总值班室, within: 30, by: {room}, "
        f"to: district_duty_room, duration: {LN.format(m=6, s=0.5)}, transmit: 1}}",
        f"    - {{id: town_written_report, name: 街镇书面报告, within: 60, medium: written, "
        f"by: {room}, to: district_duty_room, duration: {LN.format(m=20, s=0.4)}, "
        "transmit: 5}",
    ]


def _town_escalation(district_plans: list[str]) -> str:
    return (
        "  escalation: {reassess: 30, deescalate: true, hold: 60, hand_over: ["
        + ", ".join(district_plans)
        + "], hand_back: true}"
    )


def town_plan_lines(town_id: str, town_name: str) -> list[str]:
    hq = f"{town_id}_hq"
    lines = [
        f"- id: {town_id}_general_plan",
        f"  name: {town_name}突发事件总体应急预案 (bundled, structured)",
        "  kind: general",
        "  tier: town",
        f"  town: {town_id}",
        f"  lead: {hq}",
        "  source: &source 'the town plan set 1+10+X (seed report 2023); classes: work-safety "
        "accident classes (general knowledge); town tasks, timings, hand-over at IV illustrative'",
        "  triggers: &work_safety_iv  # work-safety class IV: what the town handles itself",
        '    - {level: IV, any_of: ["deaths >= 0", "serious_injuries >= 0", "direct_loss >= 0"]}',
        "  levels: {IV: {}}",
        *_town_reports(town_id),
        "  # every plan of the town: hand over to the district plan beyond IV, take the",
        "  # incident back when the district plan de-escalates to IV (illustrative)",
        _town_escalation(["general_plan"]),
    ]
    for hazard, plan_name, district_plan, conditions, tasks in FULL_TOWN_PLANS:
        lines += [
            f"- id: {town_id}_{hazard}_plan",
            f"  name: {town_name}{plan_name} (bundled, structured)",
            "  tier: town",
            f"  town: {town_id}",
            f"  hazards: [{hazard}]",
            f"  lead: {hq}",
            "  source: *source",
            "  triggers:",
            "    - level: IV  # the district plan's level IV conditions",
            "      any_of:",
        ]
        for condition, note in conditions:
            lines.append(f'        - "{condition}"' + (f"  # {note}" if note else ""))
        lines += TOWN_WARNING_LINKS.get(hazard, [])
        lines += ["  levels:", "    IV:", *_town_reinforce(town_id, hazard)]
        lines += ["      tasks:  # illustrative"]
        for ident, name, unit, median, deadline, pumps in tasks:
            resources = f", resources: {{{town_id}_pumps: {pumps}}}" if pumps else ""
            lines.append(
                f"        - {{id: town_{hazard}_{ident}, name: {name}, unit: {town_id}_{unit}, "
                f"duration: {LN.format(m=median, s=0.5)}, deadline: {deadline}{resources}}}"
            )
        lines += ["  reports: *reports", _town_escalation([district_plan])]
    hazards = [hazard for hazard, _ in TEMPLATE_TOWN_PLANS]
    lines += [
        f"- id: {town_id}_other_special_plan",
        f"  name: {town_name}"
        + "、".join(name for _, name in TEMPLATE_TOWN_PLANS)
        + " (bundled, one shared template)",
        "  tier: town",
        f"  town: {town_id}",
        "  hazards: [" + ", ".join(hazards) + "]",
        f"  lead: {hq}",
        "  source: *source",
        "  triggers: *work_safety_iv",
        "  levels:",
        "    IV:",
        "      tasks:  # illustrative",
        f"        - {{id: town_first_response, name: 先期处置, unit: {town_id}_rescue_team, "
        f"duration: {LN.format(m=30, s=0.5)}, deadline: 45}}",
        "  reports: *reports",
        "  # each hazard hands over to its own district plan",
        _town_escalation([f"{hazard}_plan" for hazard in hazards]),
    ]
    return lines


def town_plan_files() -> dict[str, str]:
    out: dict[str, str] = {}
    for table in (STREETS, TOWNS):
        for town_id, town_name, _, _ in table:
            lines = [
                "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
                f"# {town_name} ({town_id}): the structured part of its 1+10+X plan set -- the",
                "#   general plan and the ten special plans the district requires (flood and",
                "#   typhoon, gas and road traffic in full; the other seven share one template",
                "#   plan, each handing over to its own district plan).",
                "#   Its X other plans are the named inventory in towns.yaml (plan_set).",
                *town_plan_lines(town_id, town_name),
            ]
            out[town_id] = "\n".join(lines) + "\n"
    return out


def town_plans_index() -> str:
    lines = [
        "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
        "# The towns' structured plans, one file per street or town (town_plans/).",
    ]
    for town_id in town_ids():
        lines.append(f"- {{include: town_plans/{town_id}.yaml}}")
    return "\n".join(lines) + "\n"


# --- committees (bodies) and responsibility lists ----------------------------------
# Kept in their own functions: the town plan sets are generated elsewhere in this file.

# source: seed report 2023 -- the work-safety committee (安委会) with five
# specialised committees (危化品、消防、建设、交通、特种设备 专委会) whose member
# units' duties were refined, the responsibility lists (安全生产四类清单), and the
# disaster-prevention committee (灾防委) "and its office", whose relation to the
# single-hazard HQs is still being straightened out (理顺灾防委与各单灾种指挥部关系).
# illustrative: offices, memberships, which HQs each coordinates, the
# notification and convening rules and their delays, the kinds of duty and who
# owns each.
BODY_SOURCE = (
    "seed report 2023 (安委会 and its 5 专委会, 灾防委 and its office); "
    "office, members, rules and delays illustrative"
)
WORK_SAFETY_HAZARDS = (
    ("hazardous_chemicals", "hazardous_chemicals_hq", "emergency_bureau"),
    ("fire", "fire_hq", "fire_rescue"),
    ("construction", "construction_hq", "construction_transport"),
    ("road_traffic", "road_traffic_hq", "traffic_police"),
    ("special_equipment", "special_equipment_hq", "market_regulation"),
)
# Gas accidents are work-safety accidents (classed by the work-safety
# thresholds): the committee itself coordinates them; no specialised committee
# of the five covers gas.
WORK_SAFETY_OWN = (("gas", "gas_hq", "construction_transport"),)
# (id, name, hazard, office, members) of the five specialised committees.
SPECIALISED = (
    (
        "hazardous_chemicals_committee",
        "危险化学品安全专委会",
        "hazardous_chemicals",
        "emergency_bureau",
        (
            "emergency_bureau",
            "ecology_environment",
            "public_security",
            "traffic_police",
            "fire_rescue",
            "market_regulation",
        ),
    ),
    (
        "fire_committee",
        "消防安全专委会",
        "fire",
        "fire_rescue",
        ("fire_rescue", "public_security", "housing_bureau", "education", "emergency_bureau"),
    ),
    (
        "construction_committee",
        "建设安全专委会",
        "construction",
        "construction_transport",
        ("construction_transport", "housing_bureau", "planning_resources", "emergency_bureau"),
    ),
    (
        "traffic_committee",
        "交通安全专委会",
        "road_traffic",
        "traffic_police",
        ("traffic_police", "construction_transport", "public_security", "emergency_bureau"),
    ),
    (
        "special_equipment_committee",
        "特种设备安全专委会",
        "special_equipment",
        "market_regulation",
        ("market_regulation", "housing_bureau", "fire_rescue", "emergency_bureau"),
    ),
)
DISASTERS = (
    ("flood_typhoon", "flood_typhoon_hq"),
    ("earthquake", "earthquake_hq"),
    ("geological", "geological_hq"),
    ("snow_freeze", "snow_freeze_hq"),
)
WORK_SAFETY_MEMBERS = (
    "district_government",
    "emergency_bureau",
    "public_security",
    "traffic_police",
    "fire_rescue",
    "construction_transport",
    "housing_bureau",
    "market_regulation",
    "ecology_environment",
    "health_commission",
)
DISASTER_MEMBERS = (
    "district_government",
    "emergency_bureau",
    "water_authority",
    "meteorological_office",
    "planning_resources",
    "civil_affairs",
    "construction_transport",
    "housing_bureau",
    "agriculture",
    "power_company",
)


def _ids(items: tuple[str, ...] | list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def bodies_yaml() -> str:
    """The committees: 安委会, its five 专委会, 灾防委 (``bodies.yaml``)."""
    ws_hazards = [h for h, _, _ in WORK_SAFETY_HAZARDS + WORK_SAFETY_OWN]
    ws_commands = [c for _, c, _ in WORK_SAFETY_HAZARDS + WORK_SAFETY_OWN]
    lines = [
        "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
        "# source: the work-safety committee (安委会) and its five specialised committees",
        "#   (危化品、消防、建设、交通、特种设备), the disaster-prevention committee (灾防委)",
        "#   and its office (2023 rule-of-law report of the district Emergency Management",
        "#   Bureau); the relation of 灾防委 to the single-hazard HQs is still being",
        "#   straightened out there: here it coordinates, the HQs respond.",
        "# illustrative: offices, members, the HQs each coordinates, when each is",
        "#   notified or convened and the delays (minutes).",
        "- id: work_safety_committee",
        "  name: 区安全生产委员会 (安委会)",
        "  kind: work_safety",
        "  office: emergency_bureau  # 安委办 (illustrative placement)",
        f"  members: {_ids(WORK_SAFETY_MEMBERS)}",
        f"  hazards: {_ids(ws_hazards)}",
        f"  commands: {_ids(ws_commands)}",
        "  notify: [{min_level: III, delay: 10}]",
        "  convene:",
        "    - {min_level: II, delay: {kind: lognormal, median: 90, sigma: 0.4}}",
        "    - {min_active: 2, delay: {kind: lognormal, median: 90, sigma: 0.4}}",
        f"  source: {BODY_SOURCE}",
    ]
    for ident, name, hazard, office, members in SPECIALISED:
        command = next(c for h, c, _ in WORK_SAFETY_HAZARDS if h == hazard)
        lines += [
            f"- id: {ident}",
            f"  name: {name}",
            "  kind: specialised",
            "  parent: work_safety_committee",
            f"  office: {office}",
            f"  members: {_ids(members)}",
            f"  hazards: [{hazard}]",
            f"  commands: [{command}]",
            "  notify: [{delay: 5}]",
            "  convene: [{min_level: III, delay: {kind: lognormal, median: 60, sigma: 0.4}}]",
            f"  source: {BODY_SOURCE}",
        ]
    lines += [
        "- id: disaster_prevention_committee",
        "  name: 区防灾减灾救灾委员会 (灾防委)",
        "  kind: disaster_prevention",
        "  office: emergency_bureau  # 灾防办 (illustrative placement)",
        f"  members: {_ids(DISASTER_MEMBERS)}",
        f"  hazards: {_ids([h for h, _ in DISASTERS])}",
        f"  commands: {_ids([c for _, c in DISASTERS])}",
        "  notify: [{min_level: III, delay: 10}]",
        "  convene:",
        "    - {min_level: II, delay: {kind: lognormal, median: 60, sigma: 0.4}}",
        "    - {min_active: 2, delay: {kind: lognormal, median: 60, sigma: 0.4}}",
        f"  source: {BODY_SOURCE}",
    ]
    return "\n".join(lines) + "\n"


DUTY_SOURCE = "seed report 2023 (四类清单, 专委会 duties); kinds illustrative"
OWNER_SOURCE = "illustrative owner, in the spirit of the 四类清单"


def duties_yaml() -> str:
    """The regulated duties, hazard by kind (``duties.yaml``)."""
    lines = [
        "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
        "# The regulated duties (a hazard x a kind of duty); each has exactly one owner",
        "# in responsibilities.yaml (cmdsim check: CMD070-CMD073).",
        "# source: the responsibility lists (安全生产四类清单) and the specialised",
        "#   committees' duties (seed report 2023).  illustrative: the kinds of duty.",
    ]
    for hazard, _, _ in WORK_SAFETY_HAZARDS + WORK_SAFETY_OWN:
        lines.append(
            f"- {{hazard: {hazard}, kinds: [supervision, coordination, response], "
            f'source: "{DUTY_SOURCE}"}}'
        )
    for hazard, _ in DISASTERS:
        lines.append(
            f'- {{hazard: {hazard}, kinds: [coordination, response], source: "{DUTY_SOURCE}"}}'
        )
    return "\n".join(lines) + "\n"


def responsibilities_yaml() -> str:
    """Who owns each regulated duty (``responsibilities.yaml``)."""
    lines = [
        "# GENERATED by tools/gen_district.py -- do not edit by hand; change the script.",
        "# The responsibility list: one owner per regulated duty (duties.yaml).",
        "# supervision: the sector's department; coordination: its specialised committee",
        "# (gas: the work-safety committee; natural disasters: 灾防委); response: its HQ.",
        "# illustrative: every owner.",
    ]
    committee = {hazard: ident for ident, _, hazard, _, _ in SPECIALISED}
    for hazard, command, supervisor in WORK_SAFETY_HAZARDS + WORK_SAFETY_OWN:
        lines += [
            f"- {{owner: {supervisor}, hazard: {hazard}, kinds: [supervision], "
            f'source: "{OWNER_SOURCE}"}}',
            f"- {{owner: {committee.get(hazard, 'work_safety_committee')}, hazard: {hazard}, "
            f'kinds: [coordination], source: "{OWNER_SOURCE}"}}',
            f"- {{owner: {command}, hazard: {hazard}, kinds: [response], "
            f'source: "{OWNER_SOURCE}"}}',
        ]
    for hazard, command in DISASTERS:
        lines += [
            f"- {{owner: disaster_prevention_committee, hazard: {hazard}, "
            f'kinds: [coordination], source: "{OWNER_SOURCE}"}}',
            f"- {{owner: {command}, hazard: {hazard}, kinds: [response], "
            f'source: "{OWNER_SOURCE}"}}',
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent / "scenarios" / "district"
    parser.add_argument("--out", type=Path, default=default, help="directory to write into")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "towns.yaml").write_text(towns_yaml(), encoding="utf-8")
    (args.out / "commands.yaml").write_text(commands_yaml(), encoding="utf-8")
    for name, text in (
        ("bodies.yaml", bodies_yaml()),
        ("duties.yaml", duties_yaml()),
        ("responsibilities.yaml", responsibilities_yaml()),
    ):
        (args.out / name).write_text(text, encoding="utf-8")
    (args.out / "town_units.yaml").write_text(town_units_yaml(), encoding="utf-8")
    (args.out / "town_plans.yaml").write_text(town_plans_index(), encoding="utf-8")
    folder = args.out / "town_plans"
    folder.mkdir(exist_ok=True)
    for town_id, text in town_plan_files().items():
        (folder / f"{town_id}.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
