"""How each indicator is judged, with its source, for ``docs/methods.md``: the text of
:mod:`flowviz.analysis.judging`, :mod:`flowviz.analysis.funnel` and
:mod:`flowviz.analysis.budget_indicators` for a reader who does not read code."""

from __future__ import annotations

SPIEGELHALTER = (
    "Spiegelhalter, 'Funnel plots for comparing institutional performance', Statistics in"
    " Medicine 24:1185–1202 (2005); 'Handling over-dispersion of performance indicators',"
    " Quality and Safety in Health Care 14:347–351 (2005)"
)
TUKEY = "Tukey, Exploratory Data Analysis (1977): fences at Q1 − k × IQR and Q3 + k × IQR"
FUNNEL_SHARE = (
    "funnel-plot control limits for a share (`funnel-share`): the count a unit of its sample"
    " size would show around the pooled rate, binomial or beta-binomial with the population's"
    " over-dispersion; flagged beyond the 99.8 % limit on the risk side. " + SPIEGELHALTER + "."
)
SIZE = (
    "zero-inflated: size and occurrence apart. Size (`tukey-logit`): among the projects of its"
    " class where it occurs, Tukey fences (k = 1.5) on logit(share). Occurrence: the matching"
    " `…_occurs_pct` per ministry and class, by funnel limits. Hurdle models: Mullahy,"
    " 'Specification and testing of some modified count data models', J. Econometrics 33"
    " (1986); " + TUKEY + "."
)
CLASS_TUKEY = (
    "Tukey fences (k = 1.5) within the project's class (fund, supplementary, multi-year,"
    " ordinary); the distribution within a class is one hump with a tail. " + TUKEY + "."
)
JUDGED = {
    "non_competitive_pct": FUNNEL_SHARE,
    "one_bidder_pct": FUNNEL_SHARE + " Suppliers within their kind of organisation.",
    "high_award_rate_pct": FUNNEL_SHARE,
    "reason_missing_pct": FUNNEL_SHARE,
    "carried_over_occurs_pct": FUNNEL_SHARE,
    "reserve_occurs_pct": FUNNEL_SHARE,
    "procedure_grade": (
        "funnel-plot limits for a mean (`funnel-mean`): expected ± z(99.9 %) ×"
        " √(σ² ÷ n + τ²), σ² the variance of the population's contract grades. "
        + SPIEGELHALTER
        + "."
    ),
    "hhi": (
        "Tukey fences (k = 1.5) over units with at least 2 payees: HHI has no binomial sample"
        " and its distribution is one hump without a pile at one value. " + TUKEY + "."
    ),
    "depth": "Tukey fences (k = 1.5): a count of hops per project, no sample. " + TUKEY + ".",
    "execution_rate_pct": CLASS_TUKEY,
    "over_plan_pct": CLASS_TUKEY,
    "carried_over_pct": SIZE,
    "reserve_pct": SIZE,
}

JUDGING_DOCUMENT = """## How units are judged

Every indicator row carries the figures that say why it is or is not flagged: `value`, `sample`
(and `hits` for a share), `expected`, `lower` and `upper` limits, `fence` (the limit on the risk
side), `population` (units judged with it), `condition` (the class or kind it is judged within)
and `method`. The findings page says it in one sentence per flagged unit.

- **Shares with a sample size** (`funnel-share`). A share over 5 contracts varies by chance far
  more than one over 500, so each unit gets its own limits. Target: the pooled rate Σ hits ÷
  Σ sample of the units judged (at least `min_sample` = 5 observations). Over-dispersion:
  z-scores against the target, winsorised at their 10th and 90th percentiles; φ = mean of
  their squares; where I·φ > I − 1, τ² = (I·φ − (I − 1)) ÷ (Σw − Σw²/Σw), w = 1/s² (an
  additive random effect: real units differ by more than chance). Limits: the 0.1 % and
  99.9 % quantiles of the count (binomial when τ² = 0, else beta-binomial with mean = target
  and variance of the true rates = τ²), divided by the sample; flagged beyond the one on the
  risk side. The limit of a large unit lies below 100 %: the one-bidder indicator can flag a
  ministry (FY2024: 防衛省, 439 tenders, limit 85.42 %; デジタル庁, 171, 86.55 %).
- **Means with a sample size** (`funnel-mean`, procedure grade): target ± z(99.9 %) ×
  √(σ²/n + τ²).
- **Zero-inflated shares** (carry-over, 予備費): most projects have none, so Q1 = median = 0
  and any Tukey fence flags every use. Occurrence and size are judged apart: the size among
  the projects where it occurs (Tukey on logit(share), shares clipped to 0.05–99.95 %, so a
  share carried whole is not beyond a fence of 99.99 %), the occurrence per ministry and
  class by funnel limits.
- **Tukey fences** (`tukey`) only where there is no sample size and no pile at one value
  (HHI, depth, execution and over-plan within a class). Where Q1 = Q3 (to 0.01) no unit is
  judged: there is no spread (the funds' execution, 100 % for most).
- `control_limit_pct` (settings file) changes the coverage: 95 gives Spiegelhalter's "alert"
  limits instead of the 99.8 % "alarm" ones.

### Conditioning on what the budget is

Budget indicators are judged per project within its class, first match wins
(`flowviz/analysis/budget_indicators.py`, `budget_class`): **fund** (基金 in the project's name,
84 projects in FY2024), **supplementary** (補正 at least half of 当初: a supplementary budget
passed late in the year is carried whole into the next by design; 746), **multi-year**
(contracts under 国庫債務負担行為 published in 5-4; 409), **ordinary** (3,764). A project that
carries over 100 % of a supplementary budget is normal in its class and not flagged.

### One basis across the decade

Rates are taken on the gross budget 当初 + 補正 + 前年度から繰越し + 予備費等 and the
carry-over as a size (`budget_indicators.basis`). The RS 計 (2024 on) is gross; the old-format
計 (2015–2023) is net of 翌年度へ繰越し, which those sheets print negative, so their rates are
put on the gross basis first: an execution or carry-over rate of FY2020 compares with one of
FY2024. The decade's one budget definition (history, diff) is the decade issue's; it connects
to `basis`.

### One definition of non-competitive

FV001 and `non_competitive_pct` count the same contracts (`flowviz.model.is_non_competitive`):
随意契約 other than 企画競争 and 公募 (a call for proposals or applicants) and 少額 (below the
予決令 99条 thresholds, where quotations are compared): the sole-source awards an office chose
to make. Before, `non_competitive_pct` also counted 少額 (文部科学省 FY2024: 44.9 % against
32.65 %); now both give 32.65 % (16 of 49 contracts).

### What the methods change (FY2024 sheets)

`python benchmarks/indicators.py` prints, per indicator and unit, the units flagged of those
judged before (Tukey fences over all units with 5 observations or more; budget: every project,
zeros included, no class) and now, on the same measures:

| indicator | unit | before | now | now, 95 % limits |
|---|---|---|---|---|
| carried_over_pct | project | 1,121 / 4,657 (24.1 %) | 18 / 1,220 (1.5 %) | 18 / 1,220 |
| reserve_pct | project | 267 / 4,657 (5.7 %) | 7 / 266 (2.6 %) | 7 / 266 |
| execution_rate_pct | project | 287 / 4,657 (6.2 %) | 252 / 4,580 (5.5 %) | 252 / 4,580 |
| over_plan_pct | project | 182 / 4,490 (4.1 %) | 165 / 4,413 (3.7 %) | 165 / 4,413 |
| non_competitive_pct | project | 11 / 215 (5.1 %) | 1 / 215 (0.5 %) | 15 / 215 (7.0 %) |
| non_competitive_pct | bureau | 2 / 60 (3.3 %) | 1 / 60 (1.7 %) | 4 / 60 (6.7 %) |
| one_bidder_pct | ministry | 0 / 20 (fence 121 %) | 0 / 20 (limits 85–100 %) | 1 / 20 |
| procedure_grade | project | 8 / 218 (3.7 %) | 7 / 218 (3.2 %) | 13 / 218 (6.0 %) |
| reason_missing_pct | ministry | 1 / 8 | 0 / 8 | 1 / 8 |

Read it so: the carry-over fence flagged a quarter of all projects because most carry nothing;
judged by size among the 1,220 that carry over, within their class, 18 stand out. Shares over a
few contracts no longer cross a fence set by units of hundreds (projects: 11 → 1). The funnel
limits are wide because ministries, bureaus and suppliers differ far more than chance (one
bidder among ministries: φ = 3.9, τ = 0.11 around 55.7 %), so at 99.8 % few units stand out;
at 95 % about one in twenty does, close to what chance alone gives, and a reader should treat
those as leads, not findings.
"""
