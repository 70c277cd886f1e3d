"""What a picture says beside its marks: the notes under it (unit, source, unknown, negative,
contracts, findings) and the legend entries for the marks it actually uses."""

from __future__ import annotations

from flowviz.model import KIND_LABELS_JA, FlowDocument
from flowviz.money import format_yen_ja
from flowviz.render.figure import (
    KIND_COLORS,
    LINK_STYLES,
    NEGATIVE_COLOR,
    NON_COMPETITIVE_COLOR,
    SUSPECT_COLOR,
    UNKNOWN_COLOR,
    LayoutOptions,
    SankeyLink,
    SankeyNode,
)
from flowviz.text import clean


def picture_notes(doc: FlowDocument, links: list[SankeyLink], o: LayoutOptions) -> list[str]:
    p = doc.project
    notes = [
        (
            "単位: 円（ラベルは億・兆に丸めた概数「約」。正確な額、つながりごとの金額、法人番号と"
            "名前の全体はツールチップと表に）"
            if o.compact
            else "単位: 円（ラベルは億・万で表記した正確な額）"
        )
        + (f"。原表の単位は{doc.unit}、整数の円に換算" if doc.unit != "円" else "")
    ]
    src = clean(p.source.document or doc.file)
    if p.source.section:
        src += f"（{clean(p.source.section)}）"
    notes.append(f"出典: {src}")
    if doc.partial:
        notes.append(f"注意: 金額は一部のみ（{clean(doc.partial_reason) or '部分的なデータ'}）")
    counts = {s: sum(1 for ln in links if ln.style == s) for s in LINK_STYLES}
    if counts["unknown"]:
        notes.append(
            f"金額不明のつながり: {counts['unknown']}件（金額が公表されていない。0円ではない）"
        )
    if counts["suspect"]:
        sus = sum(ln.value or 0 for ln in links if ln.style == "suspect")
        notes.append(
            f"⚠ 疑わしい数値: {counts['suspect']}件、計 {format_yen_ja(sus)}（事業の執行額や予算と"
            "矛盾する公表値。公表どおり表示し、幅にも合計にも含めない。flowviz flags --rule FV011）"
        )
    if counts["negative"]:
        neg = sum(ln.value or 0 for ln in links if ln.style == "negative")
        notes.append(
            f"負の額: {counts['negative']}件、計 {format_yen_ja(neg)}（控除・返納等。帯ではなく線で表示）"
        )
    unrouted = sum(1 for ln in links if not ln.route_published)
    if unrouted:
        notes.append(f"経路不明: {unrouted}件（支払元から支払先への経路は公表データにない）")
    notes += [f"注: {clean(n)}" for n in doc.findings]
    if doc.contracts:
        value = sum(c.amount_yen for c in doc.contracts if c.amount_yen is not None)
        unknown = sum(1 for c in doc.contracts if c.amount_yen is None)
        notes.append(
            f"契約: {len(doc.contracts)}件、契約額の合計 {format_yen_ja(value)}"
            + (f"（ほか金額不明 {unknown}件）" if unknown else "")
            + "。契約額は複数年度にわたりうる額で、支払額ではなく、流れの幅に含めない"
        )
    return notes


def legend_items(
    nodes: dict[str, SankeyNode], links: list[SankeyLink], o: LayoutOptions
) -> list[tuple[str, str, str]]:
    kinds = []
    for n in nodes.values():
        if n.kind not in kinds:
            kinds.append(n.kind)
    items = [
        ("node", KIND_COLORS.get(k, KIND_COLORS["other"]), KIND_LABELS_JA.get(k, k)) for k in kinds
    ]
    if any(ln.non_competitive or ln.one_bidder for ln in links):
        items.append(("link", NON_COMPETITIVE_COLOR, "競争性のない随意契約・一者応札"))
    if any(ln.widened for ln in links):
        items.append(
            ("widened", "#555555", f"※斜線: 金額より太く描いた流れ（最小幅 {o.min_link_px:g}px）")
        )
    styles = {ln.style for ln in links}
    if "unknown" in styles:
        items.append(("unknown", UNKNOWN_COLOR, "破線: 金額不明（公表されていない）"))
    if "negative" in styles:
        items.append(("negative", NEGATIVE_COLOR, "一点鎖線: 負の額（控除・返納）"))
    if "suspect" in styles:
        items.append(("suspect", SUSPECT_COLOR, "⚠ 点線: 疑わしい数値（幅に含めない）"))
    if "zero" in styles:
        items.append(("zero", "#999999", "細線: 公表額 0円"))
    if any(not ln.route_published for ln in links):
        items.append(("unrouted", "#999999", "点線の縁: 経路は公表データにない"))
    if any(ln.flags for ln in links):
        items.append(("flag", "#000000", "◆ 破線: フラグのある流れ（flowviz flags）"))
    return items
