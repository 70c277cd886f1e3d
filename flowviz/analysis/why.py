"""One sentence that says why an indicator row is flagged, from the row's own figures, in
English or Japanese (the language of the page or message it goes into)."""

from __future__ import annotations

from typing import Any

CLASSES_JA = {
    "fund": "基金",
    "supplementary": "補正予算が大きい",
    "multi-year": "国庫債務負担行為のある",
    "ordinary": "通常の",
}
TEMPLATES = {
    ("funnel-share", "en"): "{hits} of {sample} ({value} %) against {expected} % for all"
    " {population} {cls}units: {past} the {side} limit of {fence} % that a sample of {sample}"
    " allows.",
    ("funnel-share", "ja"): "{sample}件中{hits}件（{value}%）。{cls}全{population}単位の"
    "{expected}%に対し、この件数で許される{side_ja}限{fence}%を{past_ja}。",
    ("funnel-mean", "en"): "mean {value} over {sample} against {expected} for all {population}"
    " {cls}units: {past} the {side} limit of {fence} that a sample of {sample} allows.",
    ("funnel-mean", "ja"): "{sample}件の平均{value}。{cls}全{population}単位の{expected}に対し、"
    "この件数で許される{side_ja}限{fence}を{past_ja}。",
    ("tukey", "en"): "{value}{pct} is {past} the fence of {fence}{pct} (Q1 {q1}, median {median},"
    " Q3 {q3} of {population} {cls}units).",
    ("tukey", "ja"): "{value}{pct}は{cls}{population}単位の四分位（Q1 {q1}、中央値 {median}、"
    "Q3 {q3}）から求めた境界{fence}{pct}を{past_ja}。",
    ("tukey-logit", "en"): "{value} % is above the fence of {fence} % among the {population}"
    " {cls}projects where it occurs (median {median} %).",
    ("tukey-logit", "ja"): "{value}%は、該当のある{cls}{population}事業の中で境界{fence}%を"
    "超える（中央値{median}%）。",
}


def why(row: dict[str, Any], lang: str = "en") -> str:
    """The reason a row is flagged in one sentence; '' when it is not flagged."""
    if not row.get("flagged"):
        return ""
    cond = row.get("condition") or ""
    cls = (f"{cond} " if lang == "en" else CLASSES_JA.get(cond, cond)) if cond else ""
    high = row.get("risk") == "high"
    figures = {k: row.get(k) for k in ("hits", "sample", "value", "expected", "population")}
    figures.update({k: row.get(k) for k in ("fence", "q1", "median", "q3")})
    template = TEMPLATES[(row.get("method") or "tukey", lang)]
    pct = (" %" if lang == "en" else "%") if row["indicator"].endswith("_pct") else ""
    return template.format(
        cls=cls,
        pct=pct,
        side="upper" if high else "lower",
        side_ja="上" if high else "下",
        past="above" if high else "below",
        past_ja="超える" if high else "下回る",
        **figures,
    )
