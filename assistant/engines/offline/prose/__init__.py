"""Reading staff prose: which clauses state a measurable target, and what every other number is.

A pipeline of small pure stages (each in its own module, each tested on its own):

1. ``normalize`` — NFKC, full width → half width, Chinese numerals → digits (十二, 三万, 一千五百,
   百分之八十, 百分之百), keeping a map back to the original text so evidence quotes what the user wrote.
2. ``clauses``   — sentences (。；;！？ and line breaks), list markers (一是/（一）/1./①/-/•) stripped,
   clauses (，,), enumerations (A、B、C分别为X、Y、Z) expanded.
3. ``measures``  — every NUMBER [MULT] UNIT in a clause with its comparator words, deadlines, durations,
   per-unit costs, relative changes, zero targets. Nothing else creates a row.
4. ``cues``      — each measure is a target, a baseline, a decoy or funding, decided from cue words
   around it (data: ``assistant/data/cues.yaml``), not from per-sentence patterns.
5. ``naming``    — the measurable noun phrase, cut at word boundaries (jieba), with the measure word
   the unit implies (人 → 人数, 亩 → 面积, % → 率).
6. ``concepts``  — the 二级 concept from the unit and the name's head words (a table, shared with the
   validator's R08 word classes so a drafted row never contradicts the checker).
7. ``account``   — every number that did not become a row is reported with its reason.

The grammar of a stated target
===============================

Slots: LEAD (全年/共/共计/累计/约/计划/力争/确保/争取/预计/年内/本年度/其中/同时/并),
SUBJECT (the thing measured), VERB (新建/培训/完成/开展/发放/采购/租用…), CMP< (comparator before
the number), NUM, MULT (万/亿), UNIT, CMP> (comparator after the number), OBJECT (noun after the unit).

Comparators (direction: up = ≥/>, down = ≤/<, exact = =):

| words | where | op |
|---|---|---|
| 不少于 不低于 不小于 至少 达到 达 提高到 提升到 增至 增加到 | before | ≥ |
| 超过 高于 大于 多于 | before | > |
| 不超过 不高于 不大于 不多于 控制在 最多 降至 降低到 下降到 压减到 | before | ≤ |
| 低于 少于 小于 | before | < |
| 以上 及以上 余 多 | after | ≥ |
| 以内 之内 内 以下 及以下 | after | ≤ |
| 控制在…以内 / 不低于…以上 | both | ≤ / ≥ |
| 为 是 保持 保持在 约 左右 近 (or no comparator) | neutral | the measure's default: ≤ for negative events, costs and time limits; = for 100%, per-unit standards (补助/补贴/奖励/标准) and things bought (采购/购置/租用/配备); ≥ otherwise |

Numbers: 1,200 / 1200 / １２００ / 一千二百 / 1.2千 → 1200; 2.6万人 keeps 万 as written (≥2.6万人);
百分之八十 → 80%; 百分之百 → 100%; ranges 300-500人次 / 3至5个 / 90%~95% give the lower bound for up
and the upper bound for down; 约/左右/余/近 keep the number.

| # | pattern | example | row: name → value (二级) |
|---|---|---|---|
| T1 | [LEAD] SUBJECT [CMP<] NUM UNIT [CMP>] | 全年签约居民约2.6万人 | 签约居民人数 → ≥2.6万人 (数量) |
| T2 | SUBJECT(率/比例/覆盖率…) [CMP<] NUM % [CMP>] | 重点人群签约率不低于75% | 重点人群签约率 → ≥75% (质量) |
| T3 | [LEAD] VERB OBJECT [CMP<] NUM UNIT | 培训乡村医生不少于200人次 | 培训乡村医生人次 → ≥200人次 (数量) |
| T4 | [LEAD] VERB [CMP<] NUM UNIT OBJECT | 新建3个村级服务站 | 新建村级服务站数量 → ≥3个 (数量) |
| T5 | SUBJECT: [CMP] NUM UNIT (key–value, bullets) | - 培训人次：500 | 培训人次 → ≥500人次 (数量) |
| T6 | SUBJECT 控制在 NUM UNIT 以内 (negative) | 履约投诉控制在15件以内 | 履约投诉件数 → ≤15件 (质量) |
| T7 | 满意 … NUM % | 居民满意度90%以上 | 居民满意度 → ≥90% (满意度) |
| T8 | [YYYY年]M月[D日/底/末/上中下旬]前 VERB OBJECT; OBJECT 于 … 前完成 | 11月底前完成年度考核 | 年度考核完成时间 → 11月底前 (时效) |
| T9 | 第N季度末/前, 上半年, 下半年, 年内/年底前/年末前/当年 + completion verb | 第二季度末前完成招标 | 招标完成时间 → 6月底前 (时效); 年内 → 12月底前 of the budget year |
| T10 | [SUBJECT] NUM (个工作日/日/天/小时/分钟) 内 VERB | 投诉7个工作日内办结 | 投诉办结时限 → ≤7个工作日 (时效) |
| T11 | 每/人均/亩均/户均/生均/场均/单 … NUM 元, NUM 元/人, 按每生每年NUM元标准 | 每人每月补助500元 | 补助标准 → =500元/人·月 (成本); not a subsidy → ≤ (成本) |
| T12 | project budget: 预算/经费/资金/投资 NUM 元/万元 (project text) | 项目经费86万元 | 项目总成本 → ≤86万元 (成本), in the unit written |
| T13 | benefit money: 增收/产值/收入/销售额/节约/挽回/带动投资 NUM 元 | 带动农户增收300万元 | 带动农户增收金额 → ≥300万元 (经济效益) |
| T14 | relative change: (较上年/同比/比…) 提高/增长/上升 NUM %/个百分点 | 健康素养水平提高1.5个百分点 | 健康素养水平提高幅度 → ≥1.5个百分点 (社会效益) |
| T15 | relative decrease: 下降/降低/减少 NUM % [以上] | PM2.5平均浓度下降8%以上 | PM2.5平均浓度下降率 → ≥8% (生态效益) |
| T16 | from–to: 由/从 A 提高/提升/增加 到/至 B (A is a baseline) | 普及率由72%提高到80% | 普及率 → ≥80% (质量); 72% reported as a baseline |
| T17 | from–to down: 由 A 降低/下降/压减 到/至 B | 由12天压减至5天 | … → ≤5天 |
| T18 | enumeration: A、B、C 分别(为/达到/完成) X、Y(和)Z | 新建公厕、驿站、停车场分别为3个、5个、2个 | 新建公厕数量 ≥3个; 新建驿站数量 ≥5个; 新建停车场数量 ≥2个 |
| T19 | shared value: A、B 均/都 (达到) NUM | 初筛率、复查率均达到95%以上 | 初筛率 ≥95%; 复查率 ≥95% |
| T20 | list with 、: VERB A NUM UNIT、B NUM UNIT | 新建服务站12个、维修道路8公里 | 新建服务站数量 ≥12个; 维修道路里程 ≥8公里 |
| T21 | zero targets: 不发生/杜绝/无/零/清零/为零 EVENT | 不发生重大安全生产事故 | 重大安全生产事故发生起数 → =0起 (质量) |
| T22 | project scope (what the money buys), no target verb | 租用服务器机柜共计40个，服务期24个月 | 租用服务器机柜数量 → =40个; 服务期 → =24个月 (数量) |

Not targets (reported in the list of numbers not used, with the reason):

| kind | examples |
|---|---|
| document number | 〔2022〕35号, [2023]12号, 第5号令 |
| year, date, period | 2019年, 2023年度, 3月15日召开, 2023-2025年 (a period becomes the 实施期) |
| staff and organisation | 在编人员32人, 编制15名, 内设6个科室, 下辖12个乡镇, 职工52人 |
| population, inventory, background | 常住人口45万, 藏书12万册, 现有设备300台, 辖区有养老机构12家, 全县耕地45万亩 |
| baseline | 上年为72%, 去年完成480人, 2022年(past year)造林3000亩, 由72%(提高到…), 截至目前已建成, 累计已 |
| number inside a name | PM10, 5G基站, 110报警, 12345热线, 60周岁以上, 三级甲等, 4A级景区, 一级A标准, 第3批 |
| threshold in a definition | 造成10人以上受伤的事故, 单笔50万元以上的支出 |
| department funding | 收入合计366.8万元, 基本支出356.8万元 (they go to the funding block) |
| list markers | 一是, （一）, 1., ① |
"""
