"""The Chinese of ``cmdsim check --lang zh``: each kind's title, why and fix
(:data:`KINDS`) and the findings' message templates (:data:`TEMPLATES`, the
keys of :mod:`cmdsim.check.words_en`; a template may leave out a parameter
only English needs, such as a plural ending).  Ids (``'flood'``), field
paths and YAML keys stay as the plans write them.  The report's Chinese
titles of findings are these (:mod:`cmdsim.report.labels_zh` reads them)."""

from __future__ import annotations

KINDS: dict[str, tuple[str, str, str]] = {
    "CMD001": (
        "覆盖空白",
        "该灾种事件达到该级别时无人负责指挥",
        "为预案指定牵头指挥部（`lead`），或在主管该灾种的预案中补写所缺级别的响应"
        "（总体预案只覆盖没有专项预案的灾种）。",
    ),
    "CMD002": (
        "覆盖重叠",
        "两个指挥部都会牵头处置同一事件：职责交叉、不清",
        "每个灾种和级别只由一个预案牵头；另一指挥部作为成员，在牵头预案下启动（`activate`）"
        "或承担任务。",
    ),
    "CMD003": (
        "有级别无响应措施",
        "启动条件确定的级别，预案在该级别及以下都没有写响应措施：事件只通知牵头指挥部，别无他动",
        "补写该级别的响应措施，或修改启动条件所定的级别。",
    ),
    "CMD004": (
        "区未列任何灾种",
        "区未列任何灾种，无从查找覆盖空白或重叠：只有框架的区什么也没检查就通过了覆盖检查",
        "列出区的灾种，或在列出之前不对该区做检查。",
    ),
    "CMD005": (
        "区无任何预案",
        "区没有预案，事件无人牵头，启动条件、任务和时"
        "限都无从检查：只有框架的区什么也没检查就通过了",
        "引入预案（`plans: [{include: special/gas.yaml}, …]`）。",
    ),
    "CMD006": (
        "预案职责永不执行（不主管任何事件）",
        "该预案不主管区内可能发生的任何事件（引擎按第一个列出该灾种的预案确定主管预案），"
        "其报告和各级职责永不执行：修改它们不改变任何结果，也没有任何运行会提示",
        "把有效的职责移到实际主管的预案（专项预案）中，在 `hazards` 中列出该预案应主管的灾种，"
        "或以保留原文的理由接受该发现。",
    ),
    "CMD007": (
        "预案不主管任何事件",
        "该预案不主管区内可能发生的任何事件，其启动条件和级别从不确定响应级别",
        "列出它应主管的灾种，或删去其启动条件和级别。",
    ),
    "CMD008": (
        "报送时限永不适用",
        "报告从不按这条时限考核：凡它适用之处，前面的时限都已适用（取第一条适用的），"
        "或预案从不处于其级别（无论启动条件、升级标志、预警响应联动还是并入其情形的预案）",
        "按从具体到一般排列时限（`min_level` 高者在前，有 `zone` 者在前），删去该时限，"
        "或补写确定其级别的启动条件。",
    ),
    "CMD009": (
        "移交设置永不生效（非街镇预案）",
        "只有街镇预案会移交事件（及收回）：引擎从不读取区级或村居预案的 `hand_over`、"
        "`hand_back`，其中所列预案永不接手",
        "删去这些设置；要把区级事件上交，引擎执行的是总体预案的接管规则（`takeover`）。",
    ),
    "CMD010": (
        "触发条件永不满足",
        "其条件相互矛盾或要求不可能的数值，因此永远无法由此达到所设级别",
        "改正比较符（常见是把 `>=` 误写为 `<`），或删去该启动条件。",
    ),
    "CMD011": (
        "条件永不成立",
        "该条件要求不可能的数值；启动条件只能由其他条件触发",
        "改正或删去该条件。",
    ),
    "CMD012": (
        "条件所涉属性该灾种不具备",
        "预案所列灾种的事件从不报告该属性，因此该条件永不成立",
        "若该灾种确有预警，将其标为可预警（forecastable），或改用其事件会报告的属性。",
    ),
    "CMD013": (
        "阈值区间重叠",
        "同一数值落入两个级别的区间；取较高级别，因此较低级别的区间与文本所写不符",
        "让各区间相接而不重叠（`casualties <= 7`），或以累计方式书写阈值（只用 `>=`）。",
    ),
    "CMD014": (
        "阈值区间存在空档",
        "两个区间之间的数值不确定任何级别，而更小和更大的数值都会确定",
        "补上空档（`deaths >= 3`）。",
    ),
    "CMD015": (
        "阈值区间顺序颠倒",
        "较高级别以比较低级别更小的数值达到",
        "对调阈值或级别。",
    ),
    "CMD016": (
        "预案无可触发的启动条件",
        "预案写有响应措施，但没有可触发的启动条件，也没有预警响应联动，任何级别都不会被确定："
        "其事件得不到响应，而覆盖矩阵却把这些事件算作由它覆盖",
        "按预案的分级文本写出启动条件（每级一条）。",
    ),
    "CMD017": (
        "该级别仅有下级响应内容",
        "启动条件确定的级别预案未写：一个级别包含所有较低级别的措施，因此该级别的事件只得到"
        "其下最高已写级别的响应，没有本级自己的内容（领导到场、更多指挥部、更多任务）——"
        "是有意为之，还是漏写了该级别",
        "写出该级别自己的响应，或在本意就是沿用下级响应之处接受该发现。",
    ),
    "CMD018": (
        "预警响应联动永不启动",
        "值班室在预警渠道送达信号后才确认联动，而没有预警渠道覆盖该灾种：预案凭信号启动其级别，"
        "却没有信号会启动它；信号只随地面报告的数据、经研判和审批才到达值班室",
        "增加覆盖该灾种的预警渠道（`kind: warning`），或改由办公室确认"
        "（`confirm_by: office`：牵头指挥部办公室在信号发布时即掌握）。",
    ),
    "CMD019": (
        "预警信号未送达任何值班室",
        "没有预警渠道覆盖该事件的灾种，也没有预警响应联动响应该信号，因此信号发布时没有值班室知悉："
        "它只随下一次地面报告的数据到达，或永不到达，运行所度量的是对无人收到的信号的响应",
        "增加覆盖该灾种的预警渠道，给预案加上由办公室确认的预警响应联动（计入该信号的发布方），"
        "或将该信号与当时所见的数据一并写出。",
    ),
    "CMD020": (
        "岗位无法到岗",
        "该岗位可联系到的人数少于所需人数",
        "为该岗位指定足够人员，或降低 `needed`。",
    ),
    "CMD021": (
        "岗位不易到岗",
        "平均能联系到的人数少于该岗位所需",
        "扩大通知名单，或提高可达率（值班电话）。",
    ),
    "CMD022": (
        "法定人数无法满足",
        "法定人数条款所涉岗位能到岗的少于所需，指挥部永远不算启动",
        "先解决岗位问题（CMD020），或降低 `k`。",
    ),
    "CMD023": (
        "法定人数不易满足",
        "法定人数所需人数多于其岗位预计能到的人数",
        "同 CMD021，针对该条款的岗位。",
    ),
    "CMD024": (
        "值班室某时段无人值守",
        "在日历所含的某一时段，值班室的班次人数为 0：此时到达的报告无人研判，要等下一时段的班次，"
        "在此之前什么也不会决定",
        "每个时段至少安排一名值班人员（`staffing: {night: 1}`）。",
    ),
    "CMD025": (
        "加强值班所在级别永不启动",
        "预案从不处于加强值班所在级别或更高级别（其启动"
        "条件、升级标志、预警响应联动及并入其情形的预案"
        "只确定更低级别），这些人员永不到岗，值班室只靠本班次应对",
        "把加强值班移到预案能达到的级别，补写确定该级别的启动条件或预警颜色，或删去它。",
    ),
    "CMD026": (
        "总体预案的启动条件不决定任何事件",
        "总体预案的启动条件和升级规则看似有效，但任何运行都不会读取它们",
        "为将来没有专项预案的灾种保留（以此理由接受该发现"
        "），或删去：接管时执行的是总体预案的级别和报告。",
    ),
    "CMD030": (
        "任务无责任单位",
        "任务所属单位不在本级或更低级别启动的任何指挥部中，响应中无人对其负责",
        "把该单位列为牵头指挥部的成员，或在该级别或更低级别启动（`activate`）它所属的指挥部。",
    ),
    "CMD031": (
        "任务所需资源超过现有",
        "任务占用的某种资源多于所有单位的总量，因此永远无法开始",
        "降低数量，或如实登记各单位持有的资源。",
    ),
    "CMD032": (
        "任务借用资源",
        "任务所属单位不持有该资源，须由其他单位借出",
        "若借用未经约定，把任务交给持有该资源的单位。",
    ),
    "CMD040": (
        "任务时限无法完成",
        "即使按引擎的顺序、每一步延迟都取最小值，最快的路径也会超时",
        "设定工作能够完成的时限，或采用更快的工作方式。",
    ),
    "CMD041": (
        "报告时限无法完成",
        "即使研判、撰写和传送都取引擎允许的最快速度，也赶不上时限",
        "采用规定实际设定的时限（电话报告通常为 30 分钟），或缩短报告。",
    ),
    "CMD042": (
        "报告时限多数情况下难以完成",
        "即使报告人最早知悉、前面无事排队，报告通常的"
        "撰写和发送时间也超过时限：半数以上的运行会迟报",
        "采用时限允许的撰写时间（预填模板、更简短的首次书面报告），或采用规定实际设定的时限。",
    ),
    "CMD043": (
        "可达I级响应但无每日续报",
        "有新进展随时续报，最严重的每日续报（每日续报，上海行业规定）：I 级是最高响应级别，"
        "响应期间每天都要报告，而能达到 I 级的预案没有写这样的报告",
        "写一份 `every: 1440`（或更短）且 `min_level: I` 的 `follow_up` 报告，或用 `daily_at`"
        "（随附的防汛预案 `daily_report` 于 15:"
        "00 报送），或说明其 I 级响应为何不需要，接受该发现。",
    ),
    "CMD044": (
        "报告永不报送（达不到其最低级别）",
        "报告的 `min_level` 高于预案能处于的所有级别（无论启动条件、升级标志、预警响应联动还是"
        "并入其情形的预案），因此从不要求报送：修改它不改变任何结果，也没有运行会提示",
        "把 `min_level` 降到预案能达到的级别，补写"
        "确定其级别的启动条件，或把报告移到在该级别主管的预案中。",
    ),
    "CMD045": (
        "单一级别预案按级别变化续报",
        "预案只会处于一个级别，响应期间级别从不升降：`upon: "
        "[level]` 的续报只在已结束的响应重新开启时才会要求",
        "从 `upon` 中去掉 `level`（按 `casualties`、`every` 间隔或指定的 `injects` 报告），"
        "或写出预案其他级别的启动条件。",
    ),
    "CMD050": (
        "升级循环",
        "各预案相互移交事件形成闭环，最终没有上级接手",
        "只向上移交：街镇预案移交区级预案（区级预案的移交从不执行，见 CMD009）。",
    ),
    "CMD051": (
        "街镇预案无处移交",
        "超出街镇预案最高级别的事件仍留在街镇：没有移交指向其上级预案，没有区级预案覆盖该灾种，"
        "也没有覆盖所有灾种的总体预案",
        "为该灾种制定区级预案，或用 `escalation: {hand_over: [...]}` 指明上级预案。",
    ),
    "CMD052": (
        "街镇预案缺少区级预案的预警响应联动",
        "该灾种的区级预案凭信号启动其级别（预警响应联动），而街镇预案没有自己的联动："
        "街镇值班室只凭报告启动，比区级随信号即时启动（同步启动）要晚",
        "在街镇预案中写 `warnings: {levels: {blue: IV}, confirm_by: office}`"
        "（由其办公室确认；`confirm` 和 `issuers` 按其规定）。",
    ),
    "CMD053": (
        "街镇预案调用其他层级值班室加强值班",
        "街镇预案只能加强本街镇的值班（加强值班）：区值班室或其他街镇的值班室不受其调度",
        "改为调人员到本街镇值班室，或把加强值班移到该灾种的区级预案中。",
    ),
    "CMD054": (
        "街镇预案缺少区级预案的加强值班",
        "该灾种的区级预案在某级别调人员加强值班（加强值班是各层级办公室的规定），"
        "而街镇预案在该级别没有给本街镇值班室调人：街镇值班室只靠本班次应对同样的响应",
        "在该级别调人员到本街镇值班室，人数按值班室班次能承担的确定。",
    ),
    "CMD060": (
        "街镇缺少必备专项预案",
        "区要求每个街镇都有该灾种的专项预案",
        "补充该街镇的预案。",
    ),
    "CMD061": (
        "村居无社区应急手册",
        "村居委员会没有可依据的社区应急工作手册",
        "编写该村居的社区应急工作手册（社区应急工作手册）。",
    ),
    "CMD062": (
        "街镇无总体预案",
        "街镇的预案体系缺少“1+10+X”中的“1”",
        "制定街镇总体预案。",
    ),
    "CMD063": (
        "社区应急手册未覆盖部分灾种",
        "对区级预案主管而社区应急手册没有相应章节的灾种，每个村居都要等街镇指示才采取先期处置，"
        "与没有手册的村居一样（CMD061）",
        "把该灾种加入 `community.handbook_hazards`（手册中的一章），或对该灾种接受该发现"
        "（接受项中写 `hazard:`），并说明村居为何应在此等待指示。",
    ),
    "CMD070": (
        "监管职责无主责单位",
        "规定的职责没有任何单位、指挥部或委员会承担，就无人去做",
        "补写清单中指明其主责单位的一行。",
    ),
    "CMD071": (
        "同一职责两个主责单位",
        "同一职责有两个主责单位：职责交叉，可能互相等待",
        "只保留一个主责单位；另一个改承担其他类别的职责。",
    ),
    "CMD072": (
        "委员会与指挥部职责交叉",
        "委员会和指挥部都承担该职责：谁协调、谁处置不清楚",
        "委员会协调，指挥部处置——或另作规定，只写一次。",
    ),
    "CMD073": (
        "清单外职责",
        "责任清单列出了区未列为监管职责的职责",
        "把它加入 `duties`，或删去该行。",
    ),
    "CMD080": (
        "同一现场两个牵头指挥部",
        "两个牵头指挥部不同的预案在此现场类型和级别都可牵头，且没有合并规则把它们合为一个响应："
        "同时有两种灾害的现场会有两个指挥",
        "在总体预案中写合并规则，把它们合为一个响应并按优先"
        "顺序指定牵头，或收窄其中一个预案的 `sites`。",
    ),
    "CMD081": (
        "合并规则所涉灾种无牵头指挥部",
        "没有带牵头指挥部的预案主管该灾种的事件，以它为首的合并现场无人牵头",
        "为该灾种的预案指定牵头指挥部，或把该灾种移出规则。",
    ),
    "CMD082": (
        "合并现场两预案同一任务仅执行其一",
        "在合并规则合为一个响应的现场，其中两个预案为同一单位写了同一 id 的任务：它是同一项工作，"
        "只按最先使其生效的预案设置一次（同一级别时按牵头预"
        "案），另一个预案的版本——其时限、其资源——不执行",
        "让牵头预案的任务满足另一方的要求（更短的时限、更多的资源）并以此理由接受该发现，"
        "或在两者确为不同工作时给两个任务不同的 id。",
    ),
    "CMD090": (
        "目录中未被引用的文件",
        "区目录中有一个区未引入（include）的 YAML"
        " 文件：未经引入就加进来的预案，不被检查、不被运行，"
        "也无人执行",
        "引入该文件，或把它移出区目录（演练和草稿放在旁边，如 `examples/planning-office/`）。",
    ),
    "CMD091": (
        "未匹配任何发现的接受项",
        "区接受了检查已不再产生的发现：预案已改正，或接受项写错了位置；留着它，"
        "将来恰好与之匹配的新发现会被悄悄接受",
        "若发现已消失，删去该接受项；否则把其 `plan`、`rep"
        "ort`、`path` 或 `file` 改为发现所在之处。",
    ),
}
"""Every kind's (title, why, fix) in Chinese, by code."""

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
