"""The method of every rule and indicator: what it measures, where the figures come from, and
its known false positives. One table, printed into evidence packs, the findings page and
``docs/methods.md`` (``python -m flowviz.analysis.methods > docs/methods.md``)."""

from __future__ import annotations

from typing import NamedTuple

from flowviz.analysis.judging_methods import JUDGED, JUDGING_DOCUMENT


class Method(NamedTuple):
    title: str
    measures: str
    source: str
    false_positives: str


RS_CONTRACTS = "RS 5-1/5-4 契約方式等, 入札者数, 落札率, 契約額 (a contract's value, not a payment)"
METHODS: dict[str, Method] = {
    "FV001": Method(
        "Non-competitive award",
        "A contract awarded by 随意契約 other than 企画競争, 公募 and 少額.",
        RS_CONTRACTS,
        "Sole-source is lawful where only one supplier can do the work (patents, a system's"
        " maintenance by its maker, foreign governments under FMS); read the published reason.",
    ),
    "FV002": Method(
        "One bidder",
        "A contract with 入札者数 = 1, whatever its method: a tender with one bid, or a 随意契約 or"
        " 公募 that published one applicant (OCDS's R018 counts only open and selective tenders:"
        " docs/ocds.md).",
        RS_CONTRACTS,
        "Specialised markets with one capable supplier; 入札者数 counts bids, not interest shown.",
    ),
    "FV003": Method(
        "High award rate",
        "落札率 at or above the threshold (95 % by default) of the estimated price.",
        RS_CONTRACTS,
        "Accurate estimates and fixed-price services give high rates without collusion.",
    ),
    "FV004": Method(
        "Deep re-delegation",
        "Money passes through the given number of hops or more (5-2 block links).",
        "RS 5-2 支出ブロックのつながり",
        "Grant programmes pass money through 都道府県 and 市町村 by design.",
    ),
    "FV005": Method(
        "Pass-through",
        "An intermediary passes on at least 90 % of what it received; judged only where the"
        " published rows account for all its money.",
        "RS 5-1/5-3 amounts per block",
        "Fund-management bodies (基金) exist to pass money on.",
    ),
    "FV006": Method(
        "No named final recipient",
        "Money ends at a group name (その他, 地方公共団体 …) rather than an organisation.",
        "RS 5-2/5-3 names",
        "Sheets list only the largest payees; the rest are summed by design.",
    ),
    "FV007": Method(
        "Missing or invalid 法人番号",
        "A payee without a 法人番号, or one whose check digit fails.",
        "RS 5-1/5-3/5-4 法人番号",
        "Individuals, foreign bodies and unincorporated groups have none.",
    ),
    "FV008": Method(
        "Outflow exceeds inflow",
        "An organisation pays out more than every published receipt.",
        "RS 5-1/5-3 amounts",
        "Own funds, earlier years' money and unpublished receipts.",
    ),
    "FV009": Method(
        "未執行 counted in a total",
        "Lines marked 未執行 that a total includes.",
        "RS 5-3 費目・使途",
        "None known: the figures are the sheet's own.",
    ),
    "FV010": Method(
        "Published reason missing",
        "A non-competitive or one-bidder award of 10億円 or more without the reason and"
        " improvement measures the sheet must publish.",
        RS_CONTRACTS,
        "The reason may be in the sheet's PDF or another contract row.",
    ),
    "FV011": Method(
        "Suspect figure",
        "A figure that cannot be right on the sheet's own terms (see 'Suspect figures' below),"
        " or a 費目 line more than twice the project's budget. The figure is kept as published,"
        " left out of totals, rankings, concentration and indicators by default, and no other"
        " rule is judged on it.",
        "RS 2-1, 5-3, 5-4; old-format 予算 and 支出先",
        "Multi-year contract values can exceed one year's budget honestly.",
    ),
    "FV012": Method(
        "Incumbency",
        "The same payee listed for the project in N or more consecutive years.",
        "Old-format 支出先 and RS 5-3 across years",
        "Long-term contracts and statutory agencies stay by design.",
    ),
    "FV013": Method(
        "Re-delegation within a company group",
        "An organisation that received money passes it to a related company: likely when one"
        " company's whole name begins the other's (博報堂 → 博報堂プロダクツ) or both publish"
        " the same 所在地; confirmed by a hand-kept groups file.",
        "RS 5-2 block links and names; 5-1/5-4 所在地",
        "Unrelated companies can share a name stem (地名, 日本…); groups may subcontract"
        " lawfully and at cost. The groups file rules pairs in or out.",
    ),
    "FV014": Method(
        "Payees sharing an address",
        "Two payees of one project with different 法人番号 publish the same 所在地.",
        "RS 5-1/5-4 所在地",
        "Shared office buildings, joint contracts (連名契約) and group headquarters.",
    ),
    "non_competitive_pct": Method(
        "Share of non-competitive contracts",
        "Per unit: contracts that FV001 counts (随意契約 other than 企画競争, 公募 and 少額:"
        " `flowviz.model.is_non_competitive`, the one definition) ÷ contracts with a method.",
        RS_CONTRACTS,
        "Units that buy from foreign governments or sole makers.",
    ),
    "one_bidder_pct": Method(
        "Share of one-bidder awards",
        "Per unit: competitive tenders (一般/指名競争) with one bidder ÷ those with 入札者数.",
        RS_CONTRACTS,
        "Specialised buyers; conditioned by kind of organisation for suppliers.",
    ),
    "high_award_rate_pct": Method(
        "Share of awards at ≥ 95 %",
        "Per unit: contracts with 落札率 ≥ 95 % ÷ contracts with a 落札率.",
        RS_CONTRACTS,
        "Fixed-price services.",
    ),
    "procedure_grade": Method(
        "Mean procedure grade",
        "Per unit: mean of 0 open, 1 invitation, 2 negotiated, 3 other, 4 missing"
        " (flowviz.procedures, after Fazekas's CRI).",
        RS_CONTRACTS,
        "補助金等交付 rows grade as 'other' though they are grants.",
    ),
    "reason_missing_pct": Method(
        "Share of large non-competitive contracts without a reason",
        "Per unit: non-competitive contracts (as FV001) ≥ 10億円 with no published reason ÷ all"
        " such.",
        RS_CONTRACTS,
        "Small denominators: few units have such contracts.",
    ),
    "hhi": Method(
        "Concentration of listed payees",
        "Per unit: the Herfindahl index of the payee amounts listed (sum of squared % shares;"
        " 10,000 = one payee takes all); units with fewer than 2 payees are not judged.",
        "RS 5-3 (the largest payee per block) or 5-1; old-format 支出先 (top 10 per group)",
        "The sheets list only the largest payees, which raises every unit's HHI alike.",
    ),
    "depth": Method(
        "Re-delegation depth",
        "Per project: hops from the ministry to the farthest block (as `info` counts them).",
        "RS 5-2 支出ブロックのつながり",
        "Grant programmes pass through prefectures and municipalities by design.",
    ),
    "execution_rate_pct": Method(
        "Low execution",
        "Per project: executed ÷ gross budget (当初 + 補正 + 前年度から繰越し + 予備費等, the"
        " 'One budget definition' below), within its class.",
        "RS 2-1 予算・執行 (the year the money was spent); old-format 予算",
        "New programmes, loans and funds disbursed over several years.",
    ),
    "carried_over_pct": Method(
        "Large carry-over",
        "Per project that carries anything over: 翌年度へ繰越し (its size; old-format prints it"
        " negative, and the 2015/2016 sheets print 0 while subtracting it from 予算計) ÷ gross"
        " budget, within its class; projects that carry nothing over count only in"
        " carried_over_occurs_pct.",
        "RS 2-1; old-format 予算",
        "Construction and disaster programmes carry over by design.",
    ),
    "carried_over_occurs_pct": Method(
        "Carry-over happens often",
        "Per ministry and class: projects that carry anything over ÷ projects with a figure.",
        "RS 2-1; old-format 予算",
        "A ministry of construction programmes carries over by design.",
    ),
    "reserve_pct": Method(
        "Use of 予備費",
        "Per project that uses reserves (予備費等 > 0; a negative figure is money moved out):"
        " 予備費等 ÷ gross budget (the 'One budget definition' below), within its class.",
        "RS 2-1; old-format 予算",
        "Emergency programmes are meant to be funded from reserves.",
    ),
    "reserve_occurs_pct": Method(
        "予備費 used often",
        "Per ministry and class: projects with 予備費等 > 0 ÷ projects with a figure.",
        "RS 2-1; old-format 予算",
        "Disaster-relief ministries (消防庁) draw on reserves by design.",
    ),
    "over_plan_pct": Method(
        "Execution above plan",
        "Per project: executed ÷ (当初 + 補正), within its class; above 100 % spends"
        " carried-in money or more.",
        "RS 2-1; old-format 予算 (0048 in FY2016: 147 %)",
        "Carried-in money from the year before is spent as planned.",
    ),
}


#: the rules' names on a Japanese page (the CLI's messages are English sentences)
TITLES_JA = {
    "FV001": "競争性のない随意契約",
    "FV002": "一者応札・一者応募",
    "FV003": "落札率が高い",
    "FV004": "再委託等が深い",
    "FV005": "受け取った資金のほとんどを再支出",
    "FV006": "最終的な受取先が名前で示されていない",
    "FV007": "法人番号がない・誤り",
    "FV008": "受取額を超える支出",
    "FV009": "未執行の額を含む合計",
    "FV010": "公表が求められる理由の記載がない",
    "FV011": "疑わしい数値（単位・入力の誤りの可能性）",
    "FV012": "同じ支出先が何年も続く",
    "FV013": "同じ企業グループへの再委託等",
    "FV014": "同じ所在地の支出先",
}


#: properties of the data every command shows the same way (decided below the renderers)
DATA_RULES: dict[str, Method] = {
    "One budget definition": Method(
        "Budgets compared on one definition",
        "The old-format 予算計 is net (当初 + 補正 + 前年度から繰越し + 予備費等 − 翌年度へ繰越し, the"
        " carry-over printed ▲), the RS 2-1 計 (歳出予算現額) gross: checked on every row. Sheets,"
        " years and rates are compared on gross = 当初 + 補正 + 前年度から繰越し + 予備費等 (from the"
        " parts) with 翌年度へ繰越し positive (gross − 予算計 where a 2015/2016 sheet prints 0);"
        " the published 計 is kept beside it. Execution and carry-over rates divide by gross"
        " in every year. A figure a sheet stated while its year ran (補正, 予備費, 執行) that a"
        " later sheet states anew is a revision, not a disagreement; a year no sheet saw"
        " closed is 'not yet executed', not 0 %.",
        "old-format 予算; RS 2-1 (flowviz/analysis/budget_basis.py)",
        "A sheet that typed a part of the budget under another heading shows a disagreement"
        " in that part although its gross agrees.",
    ),
    "Unknown is not 0円": Method(
        "Blank cells",
        "A blank 金額 is unknown: no figure, 'not published', never 0円; a total over some"
        " blank lines is 'at least …'. A 5-3 row with no payee and no amount (1,306 FY2024 rows)"
        " is no flow and no payee. A 5-4 contractor with no published payment has 'payment not"
        " published', never received 0. A project whose 5-3 has no amount points to its 2-1"
        " 執行額.",
        "RS 5-3, 5-4, 2-1 (flowviz/store/rs_blocks.py, flowviz/analysis/payees.py)",
        "None: a blank may stand for a real 0円 the ministry did not type; flowviz cannot know.",
    ),
    "Suspect figures": Method(
        "Figures that contradict their own sheet",
        "A payee amount above 50兆円, or at least 1億円 and more than 100 times the project's"
        " 執行額 of that year; a contract value above 50兆円, or at least 1億円 and more than 100"
        " times the project's largest yearly budget or execution; an award rate above 100 %."
        " Where dividing by 1,000 or 1,000,000 gives a figure that fits, the note says a unit"
        " slip is likely (flowviz/suspect.py).",
        "RS 2-1, 5-3, 5-4; old-format 予算 and 支出先 (FY2024: 32 contract values; 2015–2023:"
        " see `flowviz flags --rule FV011`)",
        "A fund (基金) paid out in a year when the project's own execution was tiny, and"
        " multi-year contracts of a project whose yearly budget is small, can be real; they are"
        " only left out of sums by default (--include-suspect counts them).",
    ),
    "Group and anonymised names": Method(
        "Names that are not one organisation",
        "Groups: その他…, 個人…, 職員…, 非公開, 未定, 不明, 地方公共団体-style groups, names"
        " ending in 等, ほか, N者, and (without a legal form) categories ending in 者 or 事業"
        " (年金受給者, 統計調査製表事業), except …管理者 (a city's 会計管理者 receives for the"
        " city). Anonymised: one Latin letter standing for a name (株式会社Ａ, A社, 不動産業者B),"
        " ○○-style masks. Neither is ranked or given a share of concentration; each is counted"
        " apart with its amount (flowviz/names.py).",
        "every payee name, after NFKC",
        "A real organisation whose name ends in 事業 or 者 without a legal form is counted as a"
        " group; an organisation named by a single letter plus kanji (Ａ市) as anonymised.",
    ),
    "Passed on": Method(
        "Money a payee hands on",
        "An organisation passes money on when 5-2 publishes a link from its block onward, or when"
        " its 5-3 費目 is a subsidy, grant or fund it distributes (補助金, 交付金, 助成金, 給付金,"
        " 基金, 補給金, 再委託). Rankings show passed_on_yen and say when ranked rows may be hops"
        " of one chain; --final-only ranks what stayed.",
        "RS 5-2, 5-3 (old-format sheets publish no route and no 費目)",
        "A local government that receives a 補助金 to spend on its own work is counted as"
        " passing it on; a company that re-delegates under 委託費 is not.",
    ),
}


def method_markdown(key: str, m: Method | None = None) -> str:
    m = m or METHODS[key]
    judged = JUDGED.get(key)
    how = f"- Judged by: {judged}\n" if judged else ""
    return (
        f"### {key} {m.title}\n\n- Measures: {m.measures}\n- Source: {m.source}\n"
        f"{how}- Known false positives: {m.false_positives}\n"
    )


def methods_document() -> str:
    head = (
        "# Methods of flowviz's rules and indicators\n\n"
        "Generated from `flowviz/analysis/methods.py` and `flowviz/analysis/judging_methods.py`"
        " (`python -m flowviz.analysis.methods > docs/methods.md`).\n\n"
    )
    data = "\n## Properties of the data\n\n" + "\n".join(
        method_markdown(k, m) for k, m in DATA_RULES.items()
    )
    rules = "## Rules and indicators\n\n" + "\n".join(method_markdown(k) for k in METHODS)
    return head + JUDGING_DOCUMENT + "\n" + rules + data


if __name__ == "__main__":  # pragma: no cover
    print(methods_document(), end="")
