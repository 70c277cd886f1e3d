"""Render every project of a year: Sankey SVG in-process, DOT through batched ``dot`` runs,
spread over the machine's cores. No project is skipped silently: failures come back with reasons.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CHUNK = 100


@dataclass
class BatchResult:
    projects: int = 0
    files: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


def _work(
    args: tuple[str, int, list[str], str, bool, bool, tuple[str, ...]],
) -> tuple[int, int, list[tuple[str, str]]]:
    db, year, pids, out, sankey, dot, formats = args
    from flowviz.exceptions import FlowvizError
    from flowviz.render.api import RenderOptions, fit_for_picture
    from flowviz.render.dot import dot_source
    from flowviz.render.layout import sankey_layout
    from flowviz.render.output import atomic_write, output_path, run_dot_batch, svg_to
    from flowviz.render.sankey_svg import sankey_svg
    from flowviz.store.db import connect
    from flowviz.store.rs_document import document_from_store

    con = connect(db)
    files, failures = 0, []
    dot_jobs: dict[Path, str] = {}
    owner: dict[Path, str] = {}
    for pid in pids:
        try:
            doc = fit_for_picture(document_from_store(con, year, pid), RenderOptions())
            stem = doc.project.id
            if sankey:
                svg = sankey_svg(sankey_layout(doc))
                for f in formats:
                    if f == "svg":
                        atomic_write(output_path(out, stem, ".sankey.svg"), svg)
                    elif f in ("png", "pdf"):
                        atomic_write(output_path(out, stem, f".sankey.{f}"), svg_to(svg, f))
                    else:
                        continue
                    files += 1
            if dot:
                src = dot_source(doc)
                if "dot" in formats:
                    atomic_write(output_path(out, stem, ".dot"), src)
                    files += 1
                if "svg" in formats:
                    target = output_path(out, stem, ".dot.svg")
                    dot_jobs[target] = src
                    owner[target] = pid
        except (
            FlowvizError,
            ValueError,
            KeyError,
        ) as exc:  # one bad project must not stop the year
            failures.append((pid, f"{type(exc).__name__}: {exc}"))
    con.close()
    for target, reason in run_dot_batch(dot_jobs, "svg").items():
        failures.append((owner[target], reason))
    files += len(dot_jobs) - sum(1 for t in dot_jobs if not t.exists())
    return len(pids), files, failures


def render_all(
    db: str | Path,
    year: int,
    out: str | Path,
    *,
    sankey: bool = True,
    dot: bool = True,
    formats: tuple[str, ...] = ("svg",),
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Render all projects of ``year`` into ``out``; ``progress(n)`` is called per finished chunk."""
    from flowviz.exceptions import FlowvizError
    from flowviz.store.db import connect, query

    bad = [f for f in formats if f not in ("svg", "png", "pdf", "dot")]
    if bad:
        raise FlowvizError(
            f"--all-projects writes svg, png, pdf or dot, not {', '.join(bad)}"
            " (an HTML page inlines 4.7 MB of plotly.js; render pages one by one with --project)"
        )
    con = connect(db)
    pids = [
        r["project_id"]
        for r in query(
            con,
            "SELECT project_id FROM projects WHERE year = ? ORDER BY CAST(project_id AS INTEGER)",
            (year,),
        )
    ]
    con.close()
    if not pids:
        raise FlowvizError(f"no projects of {year} in {db}; run flowviz import first")
    Path(out).mkdir(parents=True, exist_ok=True)
    chunks = [pids[i : i + CHUNK] for i in range(0, len(pids), CHUNK)]
    jobs = [(str(db), year, c, str(out), sankey, dot, formats) for c in chunks]
    result = BatchResult()
    t = time.perf_counter()
    n = workers or min(os.cpu_count() or 1, 8)
    if n <= 1:
        results = map(_work, jobs)
        pool = None
    else:
        pool = mp.get_context("fork").Pool(n)
        results = pool.imap_unordered(_work, jobs)
    try:
        for done, files, failures in results:
            result.projects += done
            result.files += files
            result.failures.extend(failures)
            if progress:
                progress(done)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    result.seconds = time.perf_counter() - t
    result.failures.sort(key=lambda x: int(x[0]) if x[0].isdigit() else 0)
    return result
