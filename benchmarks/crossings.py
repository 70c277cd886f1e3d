"""Band crossings before and after the certified order, and what the order costs.

Over every FY2024 project (5,664), the largest sheets of each of the nine old-format years and
the government and ministry aggregates of FY2024, prints side by side:

- weighted crossings (px²) with the one barycentre pass flowviz drew before ("before") and with
  the fewest-crossings order ("after"), the pictures with any crossing, and the worst change;
- how each picture's order was chosen (one pass with no crossing, sweeps, exact, node limit);
- layout + SVG time per figure, before and after, and the slowest figure.

Goals (issue 28): total weighted crossings over the pictures that have any crossing before fall
by at least 30 %; no picture gets worse; the batch stays within twice the time.

Run: .venv/bin/python benchmarks/crossings.py [--db STORE] [--sheets N]
(without --db, a store is built from ../shared/data in a temporary folder: about 40 s)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def build_store(db: Path) -> None:
    from flowviz.store.importer import import_paths

    files = sorted((DATA / "rs2024").glob("*.zip")) + sorted(
        (DATA / "judgit").glob("judgit-*.ndjson.gz")
    )
    if not files:
        sys.exit(f"no data in {DATA}")
    import_paths(db, files)


def documents(db: Path, sheets_per_year: int):  # noqa: ANN201
    """(group, key, document) for every picture of the benchmark."""
    from flowviz.analysis.aggregate import aggregate_document
    from flowviz.render.api import MAX_NODES
    from flowviz.render.batch import _document, project_keys
    from flowviz.store.db import connect, query

    con = connect(db)
    for key in project_keys(db, 2024):
        if key.startswith("rs:"):
            yield "FY2024 projects", key, _document(con, key)
    rows = query(con, "SELECT sheet_key, year FROM sheets ORDER BY year, sheet_key")
    by_year: dict[int, list[str]] = {}
    for r in rows:
        by_year.setdefault(r["year"], []).append(r["sheet_key"])
    for _year, keys in sorted(by_year.items()):
        docs = [(k, _document(con, k)) for k in keys]
        docs = [
            (k, d)
            for k, d in docs
            if d.flows
            and len({f.source for f in d.flows} | {f.target for f in d.flows}) <= MAX_NODES
        ]
        docs.sort(key=lambda kd: (-len(kd[1].flows), kd[0]))
        for k, d in docs[:sheets_per_year]:
            yield "old-format sheets (largest)", k, d
    yield "aggregates", "government", aggregate_document(con, 2024, None, 10)
    ministries = query(
        con, "SELECT DISTINCT ministry FROM projects WHERE year = 2024 ORDER BY ministry"
    )
    for r in ministries:
        yield "aggregates", r["ministry"], aggregate_document(con, 2024, r["ministry"], 10)
    con.close()


def run(doc, ordering: str):  # noqa: ANN001, ANN201
    from flowviz.render.figure import LayoutOptions
    from flowviz.render.layout import sankey_layout
    from flowviz.render.measures import measure
    from flowviz.render.sankey_svg import sankey_svg

    t = time.perf_counter()
    fig = sankey_layout(doc, replace(LayoutOptions(), ordering=ordering))
    sankey_svg(fig)
    seconds = time.perf_counter() - t
    return measure(fig), seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--sheets", type=int, default=20, help="largest sheets per old-format year")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from flowviz.render.api import MAX_NODES

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "flowviz.db"
            build_store(db)
        groups: dict[str, Counter] = {}
        worse, methods, slowest = [], Counter(), (0.0, "")
        changed = []
        for group, key, doc in documents(db, args.sheets):
            used = {f.source for f in doc.flows} | {f.target for f in doc.flows}
            g = groups.setdefault(group, Counter())
            if not doc.flows or len(used) > MAX_NODES:
                g["not drawn (empty or over 400 organisations)"] += 1
                continue
            before, tb = run(doc, "one-pass")
            after, ta = run(doc, "fewest-crossings")
            g["pictures"] += 1
            g["time before"] += tb
            g["time after"] += ta
            slowest = max(slowest, (ta, key))
            methods[group, after.ordering] += 1
            if before.crossings:
                g["pictures with crossings before"] += 1
                g["weighted before"] += before.weighted_crossings
                g["weighted after"] += after.weighted_crossings
                g["crossings before"] += before.crossings
                g["crossings after"] += after.crossings
                changed.append((group, key, before, after))
            if after.crossings:
                g["pictures with crossings after"] += 1
            if after.weighted_crossings > before.weighted_crossings + 1e-6:
                worse.append((key, before.weighted_crossings, after.weighted_crossings))
    print_report(groups, methods, changed, worse, slowest)


def print_report(groups, methods, changed, worse, slowest) -> None:  # noqa: ANN001
    rows = [("", "before (one pass)", "after (fewest crossings)")]
    for group, g in groups.items():
        n = g["pictures"]
        rows.append((f"{group}: pictures drawn", f"{n:,}", f"{n:,}"))
        if g["not drawn (empty or over 400 organisations)"]:
            rows.append(
                (
                    "  not drawn (empty or too large)",
                    str(g["not drawn (empty or over 400 organisations)"]),
                    "",
                )
            )
        rows.append(
            (
                "  pictures with any crossing",
                str(g["pictures with crossings before"]),
                str(g["pictures with crossings after"]),
            )
        )
        rows.append(("  crossings in them", str(g["crossings before"]), str(g["crossings after"])))
        wb, wa = g["weighted before"], g["weighted after"]
        fall = f" ({1 - wa / wb:.0%} fewer)" if wb else ""
        rows.append(("  weighted crossings in them, px²", f"{wb:,.0f}", f"{wa:,.0f}{fall}"))
        if n:
            rows.append(
                (
                    "  layout + SVG, total / per figure",
                    f"{g['time before']:.1f} s / {g['time before'] / n * 1000:.2f} ms",
                    f"{g['time after']:.1f} s / {g['time after'] / n * 1000:.2f} ms",
                )
            )
    wb = sum(g["weighted before"] for g in groups.values())
    wa = sum(g["weighted after"] for g in groups.values())
    rows.append(
        (
            "all: weighted crossings, px²",
            f"{wb:,.0f}",
            f"{wa:,.0f} ({1 - wa / wb:.0%} fewer)" if wb else f"{wa:,.0f}",
        )
    )
    rows.append(("all: pictures made worse", "", str(len(worse))))
    width = max(len(r[0]) for r in rows)
    for a, b, c in rows:
        print(f"{a:<{width}}  {b:>24}  {c}")
    print()
    print("how each order was chosen (after):")
    for (group, method), n in sorted(methods.items()):
        print(f"  {group}: {method}: {n:,}")
    print(f"slowest figure after: {slowest[1]} {slowest[0] * 1000:.0f} ms")
    print()
    print("pictures with crossings before, one by one (weighted px²: before → after, method, gap):")
    for _group, key, b, a in changed:
        gap = "unknown" if a.gap is None else f"{a.gap:.0%}"
        print(
            f"  {key:<28} {b.crossings:>4} → {a.crossings:<4}"
            f" {b.weighted_crossings:>12,.0f} → {a.weighted_crossings:<12,.0f} {a.ordering}, gap {gap}"
        )
    for key, b, a in worse:
        print(f"  WORSE: {key}: {b:,.0f} → {a:,.0f}")


if __name__ == "__main__":
    main()
