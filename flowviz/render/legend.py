"""What a picture says beside its marks: the notes under it (unit, source, unknown, negative,
contracts, findings) and the legend entries for the marks it actually uses."""

from __future__ import annotations

from flowviz.i18n import free
from flowviz.messages import msg
from flowviz.model import FlowDocument, kind_label
from flowviz.money import format_yen_ja, unit_name
from flowviz.render.figure import (
    KIND_COLORS,
    LINK_STYLES,
    NEGATIVE_COLOR,
    NON_COMPETITIVE_COLOR,
    PATTERN_GREY,
    SUSPECT_COLOR,
    UNKNOWN_COLOR,
    LayoutOptions,
    SankeyLink,
    SankeyNode,
)
from flowviz.text import clean, text_width


def picture_notes(doc: FlowDocument, links: list[SankeyLink], o: LayoutOptions) -> list[str]:
    p = doc.project
    notes = [
        msg(
            "単位: 円（ラベルは億・兆に丸めた概数「約」。正確な額、つながりごとの金額、法人番号と"
            "名前の全体はツールチップと表に）"
        )
        if o.compact
        else msg("単位: 円（ラベルは億・万で表記した正確な額）")
    ]
    if doc.unit != "円":
        notes[0] += msg("。原表の単位は{unit}、整数の円に換算", unit=unit_name(doc.unit))
    src = free(clean(p.source.document or doc.file))
    if p.source.section:
        src = msg("{source}（{section}）", source=src, section=free(clean(p.source.section)))
    notes.append(msg("出典: {source}", source=src))
    if doc.partial:
        why = clean(doc.partial_reason) or msg("部分的なデータ")
        notes.append(msg("注意: 金額は一部のみ（{why}）", why=why))
    counts = {s: sum(1 for ln in links if ln.style == s) for s in LINK_STYLES}
    if counts["unknown"]:
        notes.append(
            msg(
                "金額不明のつながり: {n}件（金額が公表されていない。0円ではない）",
                n=counts["unknown"],
            )
        )
    if counts["suspect"]:
        sus = sum(ln.value or 0 for ln in links if ln.style == "suspect")
        notes.append(
            msg(
                "⚠ 疑わしい数値: {n}件、計 {total}（事業の執行額や予算と矛盾する公表値。公表どおり"
                "表示し、幅にも合計にも含めない。flowviz flags --rule FV011）",
                n=counts["suspect"],
                total=format_yen_ja(sus),
            )
        )
    if counts["negative"]:
        neg = sum(ln.value or 0 for ln in links if ln.style == "negative")
        notes.append(
            msg(
                "負の額: {n}件、計 {total}（控除・返納等。帯ではなく線で表示）",
                n=counts["negative"],
                total=format_yen_ja(neg),
            )
        )
    unrouted = sum(1 for ln in links if not ln.route_published)
    if unrouted:
        notes.append(
            msg("経路不明: {n}件（支払元から支払先への経路は公表データにない）", n=unrouted)
        )
    notes += [msg("注: {note}", note=clean(n)) for n in doc.findings]
    if doc.contracts:
        notes.append(_contracts_note(doc))
    return notes


def _contracts_note(doc: FlowDocument) -> str:
    """How many contracts, their value, and that a contract value is not a payment."""
    value = sum(c.amount_yen for c in doc.contracts if c.amount_yen is not None)
    unknown = sum(1 for c in doc.contracts if c.amount_yen is None)
    n, total = len(doc.contracts), format_yen_ja(value)
    return (
        msg(
            "契約: {n}件、契約額の合計 {total}（ほか金額不明 {unknown}件）。契約額は複数年度に"
            "わたりうる額で、支払額ではなく、流れの幅に含めない",
            n=n,
            total=total,
            unknown=unknown,
        )
        if unknown
        else msg(
            "契約: {n}件、契約額の合計 {total}。契約額は複数年度にわたりうる額で、支払額ではなく、"
            "流れの幅に含めない",
            n=n,
            total=total,
        )
    )


def legend_items(
    nodes: dict[str, SankeyNode], links: list[SankeyLink], o: LayoutOptions
) -> list[tuple[str, str, str]]:
    kinds = []
    for n in nodes.values():
        if n.kind not in kinds:
            kinds.append(n.kind)
    by_colour: dict[str, list[str]] = {}
    for k in kinds:  # kinds that share a colour share one entry: 府省庁・政府
        by_colour.setdefault(KIND_COLORS.get(k, KIND_COLORS["other"]), []).append(kind_label(k))
    items = [("node", colour, msg("・").join(labels)) for colour, labels in by_colour.items()]
    if any(ln.non_competitive or ln.one_bidder for ln in links):
        items.append(("link", NON_COMPETITIVE_COLOR, msg("競争性のない随意契約・一者応札")))
    if any(ln.widened for ln in links):
        items.append(
            (
                "widened",
                "#555555",
                msg("※斜線: 金額より太く描いた流れ（最小幅 {px}px）", px=f"{o.min_link_px:g}"),
            )
        )
    styles = {ln.style for ln in links}
    if "unknown" in styles:
        items.append(("unknown", UNKNOWN_COLOR, msg("破線: 金額不明（公表されていない）")))
    if "negative" in styles:
        items.append(("negative", NEGATIVE_COLOR, msg("一点鎖線: 負の額（控除・返納）")))
    if "suspect" in styles:
        items.append(("suspect", SUSPECT_COLOR, msg("⚠ 点線: 疑わしい数値（幅に含めない）")))
    if "zero" in styles:
        items.append(("zero", PATTERN_GREY, msg("細線: 公表額 0円")))
    if any(not ln.route_published for ln in links):
        items.append(("unrouted", PATTERN_GREY, msg("点線の縁: 経路は公表データにない")))
    if any(ln.flags for ln in links):
        items.append(("flag", "#000000", msg("◆ 破線: フラグのある流れ（flowviz flags）")))
    return items


def legend_places(
    items: list[tuple[str, str, str]], width: float, margin: float
) -> list[tuple[float, int]]:
    """(x, row) of each legend entry: entries run left to right and wrap before one would
    pass the picture's right margin (measured with the real font at 11 px)."""
    places, x, row = [], margin, 0
    for kind, _, text in items:
        w = (14 if kind == "node" else 22) + text_width(text, 11)
        if x > margin and x + w > width - margin:
            x, row = margin, row + 1
        places.append((x, row))
        x += w + 18
    return places
