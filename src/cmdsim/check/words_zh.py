"""The Chinese of ``cmdsim check --lang zh``: the findings' message templates
(:data:`TEMPLATES`, the keys of :mod:`cmdsim.check.words_en`; a template may
leave out a parameter only English needs, such as a plural ending) and the
output's own words (:data:`UI`).  Ids (``'flood'``), field paths and YAML
keys stay as the plans write them.  Each kind's title, why and fix are in
:mod:`cmdsim.check.kinds_zh`."""

from __future__ import annotations

TEMPLATES: dict[str, str] = {
    # CMD006, CMD007, CMD026
    "CMD006": "预案 {plan!r} 不主管任何事件，其职责均不会执行（{duties}）{still}：{why}",
    "CMD007": "预案 {plan!r} 不主管任何事件，其启动条件和级别不决定任何事{still}：{why}",
    "CMD026": (
        "总体预案 {plan!r} 不决定任何事件，其 {n} 条启动条件及升级规则（重新研判、维持、降级）"
        "从不执行：{who}；接管时按所接管事件的最高级别使其生效，而不是按其启动条件"
    ),
    "duties.reports": "{n} 份报告（{ids}）",
    "duties.level": "{level}级：{parts}",
    "duties.tasks": "{n} 项任务",
    "duties.activate": "启动 {n} 个指挥部",
    "duties.notify": "通知 {n} 个单位",
    "duties.reinforce": "{n} 次加强值班",
    "kept.takeover": "其接管规则",
    "kept.merge": "其合并规则",
    "kept.still": "（{kept}仍然有效{tail}）",
    "kept.not_general": "：接管不会使本预案生效，只会使区总体预案 {general!r} 生效",
    "who.covers_only": "它未列灾种，只覆盖没有预案列出的灾种，而这里每个灾种都有预案",
    "who.no_hazard": (
        "它未列灾种，而引擎只按列出该灾种的预案、覆盖无预案灾种的区总体预案，"
        "或街镇预案 hand_over 所指的预案确定事件的主管预案"
    ),
    "who.no_room": "{hazard}：街镇 {town!r} 没有值班室，无法执行街镇预案",
    "who.town_first": "{hazard}：本街镇的预案 {plan!r} 优先",
    "who.other": "{hazard}：由预案 {plan!r} 主管",
    "who.unreached": "{hazard}：没有事件会到达它",
    "covered.town": "街镇 {town!r} 的事件",
    "covered.district": "区内事件",
    "covered.by": "{hazard} 由 {plan!r}",
    "covered.more": "{shown} 等另 {n} 个",
    "covered.ruled": "{where}由列出其灾种的预案决定（{shown}）",
    "covered.bare": (
        "{bare} 没有任何预案：引擎对其事件不作任何响应，即使在覆盖矩阵显示由本预案牵头的级别"
        "（在其 `hazards` 中列出它们）"
    ),
    # CMD042
    "CMD042": (
        "预案 {plan!r} 的报告 {report!r} 须在{after}后 {within:g} 分钟内报送；{known}，"
        "撰写（{writing}）和发送（{sending}）合计中位数为 {median:.1f} 分钟，"
        "因此即使报告人手头无事排队，按时的运行也至多占 {chance:.0%}"
    ),
    "known.after": "报告人最早在其后 {knowing} 分钟知悉",
    "known.at_once": "报告人可能立即知悉",
    "delay.fixed": "{minutes:g} 分钟",
    "delay.median": "中位数 {minutes:.1f} 分钟",
    "after.occasion": "报送事由发生",
    "after.end": "响应结束",
    "clock.onset": "事件发生",
    "clock.aware": "知悉",
    "clock.activation": "指挥部启动",
    "clock.decision": "确定响应级别",
    # CMD040, CMD041, the fastest path
    "CMD040": (
        "预案 {plan!r} 的任务 {task!r}（{where}）须在{clock}后 {deadline:g} 分钟内完成，"
        "但至少需要 {path} 分钟"
    ),
    "task.at": "{level}级",
    "task.in_force": "写在{level}级，在 {shown} 级生效",
    "CMD041": (
        "预案 {plan!r} 的报告 {report!r}{limit}须在{after}后 {within:g} 分钟内报送，"
        "但至少需要 {path} 分钟"
    ),
    "limit.applies": "在其第 {index} 条时限适用时",
    "limit.level": "（{level}级及以上）",
    "limit.zone": "（{zone} 区域）",
    "limit.index": "（第 {index} 条时限适用时）",
    "path": "{steps} = {total:g}",
    "path.first": "{sign}{minutes:g} {name}",
    "path.next": " {sign} {minutes:g} {name}",
    "step.triage": "研判",
    "step.approval": "审批",
    "step.work": "处置",
    "step.call-out at most": "至多通知",
    "step.writing": "撰写",
    "step.transmission": "传送",
    # CMD043
    "CMD043": (
        "预案 {plan!r} 能达到 I 级（凭其启动条件、预警响应联动或升级标志），但 I 级响应期间"
        "没有每日报送的报告（每日续报，“最严重的每日续报”：`every` 不超过 {day:g} 分钟的 "
        "follow_up 报告，或有 daily_at 时刻）{longer}"
    ),
    "daily.longer": "；其定时续报间隔更长：{reports}",
    "daily.every": "{report!r} 每 {every:g} 分钟",
    # CMD063
    "CMD063": (
        "社区应急手册（community.handbook_hazards）没有 {hazard!r} 一章，而区级预案主管该灾种："
        "村居发生此类事件时，有手册的村居（{committees} 个中的 {prepared} 个）"
        "也要等街镇指示才采取先期处置，与没有手册的一样"
    ),
    # CMD018, CMD019
    "CMD018": (
        "值班室在预警渠道送达信号后才确认联动，而没有预警渠道覆盖 {names}：联动永不为其事件启动级别"
    ),
    "CMD019": (
        "{what}（{at:g} 分钟）发布时未送达任何值班室：没有预警"
        "渠道覆盖 {hazard}，且{unlinked}；{heard}"
    ),
    "signal.lift": "信号解除",
    "signal.colour": "{signal}预警信号",
    "unlinked.no_plan": "没有预案主管其事件",
    "unlinked.no_link": "预案 {plan!r} 没有预警响应联动",
    "unlinked.duty_room": "预案 {plan!r} 的联动由值班室确认，而值班室只经预警渠道获知信号",
    "unlinked.issuers": "预案 {plan!r} 的联动只计{issuers}发布的信号",
    "heard.later": "各值班室只在 {at:g} 分钟随报告的数据获知",
    "heard.changed": "到地面报告下一个时点（{at:g} 分钟）时生效的是{shown}，因此没有值班室会获知",
    "heard.none": "此后地面没有再报告任何时点，因此没有值班室会获知",
    "heard.no_signal": "无信号",
    "signal.blue": "蓝色预警",
    "signal.yellow": "黄色预警",
    "signal.orange": "橙色预警",
    "signal.red": "红色预警",
    "colour.blue": "蓝色",
    "colour.yellow": "黄色",
    "colour.orange": "橙色",
    "colour.red": "红色",
    "issuer.city": "市级",
    "issuer.district": "区级",
    # CMD060-CMD062
    "CMD060": "街镇 {town!r} 没有区要求每个街镇都须具备的 {hazard!r} 专项预案",
    "CMD061": "{town!r} 的村居 {committee!r} 没有社区应急工作手册",
    "CMD062": "街镇 {town!r} 没有总体预案",
    # CMD001, CMD002
    "CMD001": (
        "灾种 {hazard!r} 在 {levels} 级：没有"
        "预案主管其事件（没有预案列出它，区也没有不列灾种的总体预案）"
    ),
    "CMD001.no_lead": "灾种 {hazard!r} 在 {levels} 级：预案 {plan!r} 未指定牵头指挥部",
    "CMD001.silent": (
        "灾种 {hazard!r} 在 {levels} 级：预案"
        " {plan!r} 在各级都主管其事件，但在该级别及以下都没有写响应措施"
        "（一个级别包含较低级别的措施）：确定为该级别的事件只"
        "通知其牵头指挥部 {lead!r}；总体预案不会介入"
    ),
    "CMD002": "灾种 {hazard!r} 在 {level} 级（层级 {tier}）：{n} 个牵头——{plans}{taken}",
    "claim": "{plan!r}（牵头 {lead!r}）",
    "claim.taken": "；引擎按 {plan!r} 确定",
    # CMD004, CMD005
    "CMD004": "区 {district!r} 未列任何灾种：无可覆盖",
    "CMD005": "区 {district!r} 没有预案：无人牵头，无可检查",
    # CMD030-CMD032
    "CMD030": (
        "预案 {plan!r} 在 {level} 级的任务 {task!r}"
        " 由 {unit!r} 承担，而它不在所启动的任何指挥部中（{hqs}）"
    ),
    "no_hq": "无指挥部",
    "CMD031": "任务 {task!r} 占用 {count} 个 {resource!r}，而各单位合计只有 {total} 个",
    "CMD032": "任务 {task!r} 使用 {resource!r}，而 {unit!r} 不持有该资源",
    # CMD070-CMD073
    "CMD070": "{hazard!r} 的{kind}无人承担：责任清单没有一行列出它",
    "CMD071": "{what}有两个主责单位：{first!r} 和 {second!r}",
    "CMD072": "{what}同时由委员会 {body!r} 和指挥部 {hq!r} 承担",
    "CMD073": "{owner!r} 承担{what}，而区未将其列为监管职责（duties 中无此项）",
    "duty": "{hazard!r} 的{kind}",
    "duty.supervision": "行业监管",
    "duty.inspection": "隐患排查治理",
    "duty.coordination": "综合协调",
    "duty.response": "应急处置",
    "duty.investigation": "事故调查",
    # CMD003, CMD010-CMD017, bands
    "CMD003": (
        "预案 {plan!r} 会达到 {level} 级，但在该级别没有任何行动：{level} 级及以下都没有响应措施，"
        "该级别的事件{gets}"
    ),
    "gets.lead": "只通知预案的牵头指挥部",
    "gets.nobody": "不通知任何人",
    "CMD017": (
        "预案 {plan!r} 会达到 {level} 级，但没有写该级"
        "别的响应：{level} 级的事件得到 {below} 级的措施"
        "（一个级别包含所有较低级别的措施），没有本级自己的内容"
    ),
    "CMD016": "预案 {plan!r} 在 {shown} 级写有响应措施，但任何级别都不会被确定：{why}",
    "why.no_trigger": "它没有启动条件（triggers: []）",
    "why.none_fire": "其 {n} 条启动条件都无法触发",
    "CMD012": "'{condition}' 检验预警信号，但预案所列灾种都不可预警",
    "CMD010": (
        "{level} 级启动条件永远无法触发：'{condition}' 永不成立（{reason}），其他条件也都不成立"
    ),
    "CMD010.impossible": "{level} 级启动条件要求 '{condition}'，没有事件能满足",
    "CMD010.contradict": "{level} 级启动条件同时要求 {texts}，二者相互矛盾",
    "CMD011": "'{condition}' 永不成立（{reason}）",
    "dead.impossible": "没有事件能满足",
    "dead.contradicts": "与启动条件的 all_of 相矛盾",
    "CMD015": "预案 {plan!r}：{higher} 级始于 {high}，低于 {lower} 级的起点 {low}",
    "CMD013": (
        "预案 {plan!r}：{both} 同时落入 {lower} 级的区间（{low}）和 {higher} 级的区间（{high}）"
    ),
    "CMD014": "预案 {plan!r}：{hole} 不确定任何级别，而更小和更大的数值都会确定",
    "band.signal": "{colour}预警信号",
    "band.signals": "{low}至{high}预警信号",
    "band.or_more": "{attribute} 为 {lo:g} 及以上",
    "band.equal": "{attribute} = {lo:g}",
    "band.from_to": "{attribute} 从 {lo:g} 到 {hi:g}",
    "band.in": "{attribute} 在 {left}{lo:g}, {hi}{right} 内",
    # CMD020-CMD024
    "CMD020": "指挥部 {command!r} 的岗位 {post!r} 永远无法到岗：{why}",
    "post.short": "需要 {needed} 人，只有 {people} 人",
    "post.unreached": "无人能联系到（可达率 0）",
    "CMD021": (
        "指挥部 {command!r} 的岗位 {post!r}：{people} 人 × 可达"
        "率 {reach:g} = 预计 {expected:g} 人，需要 {needed} 人"
    ),
    "CMD022": "指挥部 {command!r} 的法定人数需要 {posts} 个岗位中的 {k} 个，但只有 {can} 个能到岗",
    "CMD023": (
        "指挥部 {command!r} 的法定人数需要 {k} 个岗位至少"
        " {need} 人；其岗位预计能到 {expected:g} 人，"
        "可能到岗的岗位 {probable} 个"
    ),
    "CMD024": (
        "值班室 {room!r} 在 {band} 时段无人值班（staf"
        "fing.{band}: 0）：其报告无人研判，要等下一时段的班次"
    ),
    # CMD050, CMD051
    "CMD050": "升级移交形成闭环：{names}",
    "CMD051": "街镇预案 {plan!r} 没有 hand_over，也没有区级预案覆盖 {alone}：超出它的事件无处移交",
    # CMD025, CMD044, CMD045
    "levels.one": "{level} 级",
    "levels.many": "{first}和{last} 级",
    "CMD025": (
        "预案 {plan!r} 在 {level} 级调 {n} 名人员到 {room} 加强值班，但预案只会处于{reach}："
        "加强值班在其级别及以上才生效，这些人员永不到岗"
    ),
    "CMD044": (
        "报告 {report!r} 适用于 {level} 级及以上，但"
        "预案 {plan!r} 只会处于{reach}：该报告从不要求报送"
    ),
    "CMD045": (
        "报告 {report!r} 随每次级别变化续报（upon: [level]），但预案 {plan!r} 只会处于{reach}："
        "响应期间级别从不升降，该报告只在已结束的响应重新开启时才会要求{ahead}"
    ),
    "ahead": "（或在其首个级别，先于街镇预案报告时）",
    # CMD008, CMD009
    "CMD008": (
        "报告 {report!r}：这条时限（{within:g} 分钟）永不适"
        "用：limits[{first}]（{earlier:g} 分钟）在前，"
        "凡它适用之处都已适用（取第一条适用的时限）"
    ),
    "CMD008.unreached": (
        "报告 {report!r}：这条时限（{within:g} 分钟）适用于"
        " {level} 级及以上，但预案 {plan!r} 只会处于{reach}"
    ),
    "CMD009": (
        "预案 {plan!r} 是{tier}预案，其 {named} 永不生效：引擎只从街镇预案（`tier: town`）"
        "即其街镇值班室据以确定的预案移交事件"
    ),
    "tier.district": "区级",
    "tier.town": "街镇级",
    "tier.community": "村居级",
    # CMD080-CMD082
    "CMD080": (
        "预案 {first!r}（牵头 {first_lead}）和 {second!r}"
        "（牵头 {second_lead}）都可在现场类型 {site!r} "
        "的 {levels} 级牵头，且没有合并规则把其灾种合为一个响应"
    ),
    "CMD081": "合并规则 {rule!r} 列出 {hazard!r}，而没有带牵头指挥部的预案主管其事件",
    "CMD082": (
        "合并规则 {rule!r}：预案 {first} 和 {second} 都"
        "为 {unit} 写了任务 {task!r}（自 {level} 级起）；"
        "在合并现场它是同一项任务，同一级别时执行 {first} 的版本"
        "（{mine}），{second} 的版本（{theirs}）不执行"
    ),
    "asks.none": "无时限",
    "asks.deadline": "时限 {at:g}",
    "asks.held": "{count} 个 {name}",
    # CMD090
    "CMD090": "区内没有任何文件引入（include）此文件",
    # CMD052-CMD054
    "CMD052": (
        "街镇预案 {plan!r} 主管 {hazards}，区级预案 {district_plan!r} 凭信号启动（warnings），"
        "而街镇预案没有预警响应联动：街镇值班室只在收到报告时才启动；在其中加上 "
        "`warnings: {{levels: {{{mapping}}}, confirm_by: office}}`"
        "（街镇联动只启动其启动条件能达到的级别，其余由区级预案的联动启动）"
    ),
    "CMD053": (
        "街镇预案 {plan!r} 在 {level} 级调 {n} 名人员"
        "到 {room!r}（{whose}）；街镇预案只能加强本街镇的值班"
        "（{mine}）：改调到本街镇值班室，或把加强值班写进该灾种的区级预案"
    ),
    "room.district": "区值班室",
    "room.other": "不属于 {town!r} 的值班室",
    "room.own": "本街镇值班室是 {own!r}",
    "room.none": "{town!r} 没有值班室",
    "CMD054": (
        "街镇预案 {plan!r} 在 {level} 级没有调人员到本街镇"
        "值班室 {own!r}，而该级别 {hazard!r} 的区级预案 "
        "{district_plan!r} 调了 {called}（加强值班是各层级办公室的规定）：在其 {level} 级加上 "
        "`reinforce: [{{room: {own}, officers: N}}]`，N 不超过值班室班次所能承担"
    ),
    "called": "{n} 人到 {room!r}",
    # CMD091
    "CMD091": "接受 {code}（{where}），但那里没有 {code} 发现（{more}在别处）",
    "CMD091.unknown": "接受 {code}（{where}），但 {code!r} 不是发现代码",
    "CMD091.unacceptable": "接受 {code}（{where}），但 {code} 不能被接受：删去它所代表的接受项",
    "CMD091.taken": "接受 {code}（{where}），但它匹配的每项发现都已被在前的 accept[{taken}] 接受",
    "CMD091.none": "接受 {code}（{where}），但检查没有产生 {code} 发现",
    "unused.more": "{first} 等另 {n} 项",
    "unused.one": "{first} ",
    "limited.at": "限于 {parts}",
    "limited.anywhere": "不限位置",
    "limited.plan": "预案 {value!r}",
    "limited.report": "报告 {value!r}",
    "limited.path": "路径 {value!r}",
    "limited.file": "文件 {value!r}",
    "limited.hazard": "灾种 {value!r}",
    "limited.scenario": "情景 {value!r}",
    # CMD027, CMD028
    "CMD027": (
        "街镇 {town!r} 没有灾害信息员，其报告所经各层级都无人：报告在被观察到的同一时刻"
        "就到达值班室，无人转报，也从不漏报"
    ),
    "CMD027.room": (
        "街镇 {town!r} 有值班室（{room!r}）却没有灾害信息员：街镇信息员是报告上报区里途中"
        "向街镇值班室报告的人，因此该值班室从不会从信息员处获知"
    ),
    "CMD028.no_committees": (
        "街镇 {town!r} 没有村居，也就没有小区和村居信息员：来自它"
        "的信息员报告跳过这些层级（引擎跳过该层级：不计转报时间，也不会漏报）"
    ),
    "CMD028.committees": (
        "街镇 {town!r} 的 {of} 个村居中有 {n} 个没有{tier}信息员（{names}）：来自它们的报告跳过"
        "{tier}层级（引擎跳过该层级：不计转报时间，也不会漏报）"
    ),
    "CMD028.town": (
        "街镇 {town!r} 没有信息员：来自它的报告跳过"
        "街镇层级（引擎跳过该层级：不计转报时间，也不会漏报）"
    ),
    "CMD028.unset": (
        "officers.tiers 没有给出{names}的转报设置，而"
        "信息员报告要经过该层级（引擎跳过该层级：不计转报时间，也不会漏报）"
    ),
    "CMD028.district": (
        "没有区级信息员（officers.district: 0），而 {to} 向区里"
        "报告：最后一跳即区级信息员的一跳被跳过（引擎跳过该层级：不计转报时间，也不会漏报）"
    ),
    "tiers.names": "{ids}{more}",
    "tiers.more": " 等另 {n} 个",
    "officer_tier.compound": "小区",
    "officer_tier.committee": "村居",
    "officer_tier.town": "街镇",
    "officer_tier.district": "区级",
}
"""The message templates in Chinese, by the keys of the English ones."""

UI: dict[str, str] = {
    "input.title": "输入未检查",
    "input.why": (
        "文件无法读取，或不是有效的区或情景文件（或某个选"
        "项无法使用），因此什么也没有检查：改正后重新检查"
    ),
    "input.fix": "按消息所指的行（或选项）改正文件，然后重新检查。",
    "github.accepted": "cmdsim check：已接受 {total} 项发现",
    "github.accepted_body": (
        "：已在区的接受清单中连同理由接受，因此不作标注，也不使检查失败"
        "（--format sarif 和 --json 逐项列出其理由）"
    ),
    "sarif.guide": "指南（检查预案，{where}）给出了示例。",
    "sarif.fix": "改正",
    "text.matrix": "覆盖矩阵",
    "text.findings": "发现",
    "text.columns": "严重程度|代码|位置|发现",
    "text.tier_hazard": "层级 · 灾种",
    "text.no_findings": "无发现",
    "text.no_response": "无响应措施",
    "text.accepted": "已接受",
    "text.accepted_by": "已接受（{path}，{at}）：{reason}",
    "text.accepted_above": "已接受（{path}，理由见上）",
    "text.counts": "{error} 个错误，{warning} 个警告，{info} 个提示",
    "text.counts_accepted": "；{accepted} 个已接受",
    "text.skipped": "未检查：{file}：{reason}",
    "matrix.report": "，凭报告",
    "matrix.signal": "，凭信号",
    "matrix.also": "，亦凭信号",
    "severity.error": "错误",
    "severity.warning": "警告",
    "severity.info": "提示",
}
"""The output's own words in Chinese: headings, counts, the input rule's texts."""
