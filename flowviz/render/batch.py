"""Render every project in the store — one year, or every year of every source — into a folder:
Sankey SVG and the light page in-process, DOT through batched ``dot`` runs, spread over the
machine's cores. Resumable: a project whose outputs are all newer than the store is skipped. No
project is skipped silently: failures come back with reasons.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHUNK = 100
TOO_LARGE = "too large"
FORMATS = ("svg", "png", "pdf", "html", "dot")


@dataclass
class BatchResult:
    projects: int = 0
    files: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: projects with more organisations than one picture can show: not failures, left undrawn
    too_large: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _suffixes(sankey: bool, dot: bool, formats: tuple[str, ...]) -> list[str]:
    out = []
    if sankey:
        out += [
            {"html": ".sankey.html"}.get(f, f".sankey.{f}")
            for f in formats
            if f in ("svg", "png", "pdf", "html")
        ]
    if dot:
        out += [".dot" if f == "dot" else ".dot.svg" for f in formats if f in ("dot", "svg")]
    return out


def _stem(key: str) -> tuple[str, str | None]:
    """(readable stem, key to hash or None) of a key's outputs: ``rs2024-7259``,
    ``sheet2017-総務省-0048``; when a part holds ``-`` the readable form could stand for two keys,
    so the full key is hashed into the name (and whenever sanitising changes it; see
    :func:`flowviz.text.unique_stem`)."""
    if key.startswith("rs:"):
        _, year, pid = key.split(":", 2)
        parts, stem = (pid,), f"rs{year}-{pid}"
    else:
        year, ministry, number = key.split(":", 2)
        parts, stem = (ministry, number), f"sheet{year}-{ministry}-{number}"
    return stem, key if any("-" in p or not p for p in parts) else None


def _document(con: Any, key: str) -> Any:
    from flowviz.store.rs_document import document_from_store
    from flowviz.store.sheet_document import document_from_sheet

    if key.startswith("rs:"):
        _, year, pid = key.split(":", 2)
        return document_from_store(con, int(year), pid)
    return document_from_sheet(con, key)


def _draw(
    doc: Any,
    where: tuple[str, str],
    sankey: bool,
    dot: bool,
    formats: tuple[str, ...],
    dot_jobs: dict[Path, str],
) -> set[Path]:
    """Write one document's outputs into ``where`` (folder, key); the paths written (DOT SVGs
    are queued for the batched ``dot`` run)."""
    from flowviz.render.dot import dot_source
    from flowviz.render.layout import sankey_layout
    from flowviz.render.output import atomic_write, output_path, svg_to
    from flowviz.render.sankey_page import sankey_page
    from flowviz.render.sankey_svg import sankey_svg

    out, key = where
    stem, hashed = _stem(key)
    files: set[Path] = set()
    if sankey:
        fig = sankey_layout(doc)
        svg = sankey_svg(fig)
        for f in formats:
            if f == "svg":
                data = svg
            elif f in ("png", "pdf"):
                data = svg_to(svg, f)
            elif f == "html":
                data = sankey_page(fig, svg)
            else:
                continue
            suffix = ".sankey.html" if f == "html" else f".sankey.{f}"
            files.add(atomic_write(output_path(out, stem, suffix, hashed), data))
    if dot:
        src = dot_source(doc)
        if "dot" in formats:
            files.add(atomic_write(output_path(out, stem, ".dot", hashed), src))
        if "svg" in formats:
            dot_jobs[output_path(out, stem, ".dot.svg", hashed)] = src
    return files


def _work(
    args: tuple[str, list[str], str, bool, bool, tuple[str, ...]],
) -> tuple[int, int, list[tuple[str, str]]]:
    db, keys, out, sankey, dot, formats = args
    from flowviz.exceptions import FlowvizError, RenderTooLarge
    from flowviz.render.api import RenderOptions, fit_for_picture
    from flowviz.render.output import run_dot_batch
    from flowviz.store.db import connect

    con = connect(db)
    files: set[Path] = set()
    failures = []
    dot_jobs: dict[Path, str] = {}
    owner: dict[Path, str] = {}
    for key in keys:
        try:
            doc = fit_for_picture(_document(con, key), RenderOptions())
            before = set(dot_jobs)
            files |= _draw(doc, (out, key), sankey, dot, formats, dot_jobs)
            owner.update({t: key for t in set(dot_jobs) - before})
        except RenderTooLarge:
            failures.append((key, TOO_LARGE))
        except (
            FlowvizError,
            ValueError,
            KeyError,
        ) as exc:  # one bad project must not stop the rest
            failures.append((key, f"{type(exc).__name__}: {exc}"))
    con.close()
    failed = run_dot_batch(dot_jobs, "svg")
    failures += [(owner[target], reason) for target, reason in failed.items()]
    files |= {t for t in dot_jobs if t not in failed and t.exists()}
    return len(keys), len(files), failures


def project_keys(db: str | Path, year: int | None) -> list[str]:
    """RS projects (``rs:YEAR:ID``) and old-format sheets (their keys) of ``year``, or of every
    year when ``year`` is ``None``."""
    from flowviz.store.db import connect, query

    con = connect(db)
    cond, params = (" WHERE year = ?", (year,)) if year else ("", ())
    rs = [
        f"rs:{r['year']}:{r['project_id']}"
        for r in query(
            con,
            f"SELECT year, project_id FROM projects{cond} ORDER BY year, CAST(project_id AS INTEGER)",
            params,
        )
    ]
    sheets = [
        r["sheet_key"]
        for r in query(
            con, f"SELECT sheet_key FROM sheets{cond} ORDER BY year, ministry, number", params
        )
    ]
    con.close()
    return rs + sheets


def _up_to_date(out: Path, key: str, suffixes: list[str], since: float) -> bool:
    from flowviz.render.output import output_path

    stem, hashed = _stem(key)
    paths = [output_path(out, stem, s, hashed) for s in suffixes]
    return all(p.exists() and p.stat().st_mtime >= since for p in paths)


def _check_target(out: str | Path, formats: tuple[str, ...]) -> None:
    """A folder (never standard output: a batch writes many files) and formats a batch writes."""
    from flowviz.exceptions import FlowvizError, OutputError
    from flowviz.render.output import is_stdout

    if is_stdout(out):
        raise OutputError(
            "--out - writes one file to standard output, and a batch writes one or more per"
            " project; give a folder"
        )
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise FlowvizError(f"--all-projects writes {', '.join(FORMATS)}, not {', '.join(bad)}")


def render_all(
    db: str | Path,
    year: int | None,
    out: str | Path,
    *,
    sankey: bool = True,
    dot: bool = True,
    formats: tuple[str, ...] = ("svg",),
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
    keys: list[str] | None = None,
) -> BatchResult:
    """Render every project of ``year`` (``None``: every year of every source) into ``out``,
    skipping those whose outputs are newer than the store; ``progress(n)`` per finished chunk."""
    from flowviz.exceptions import FlowvizError

    _check_target(out, formats)
    from flowviz.store.db import store_path

    db = store_path(db)
    keys = keys if keys is not None else project_keys(db, year)
    if not keys:
        raise FlowvizError(f"no projects of {year or 'any year'} in {db}; run flowviz import first")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    since = Path(db).stat().st_mtime
    suffixes = _suffixes(sankey, dot, formats)
    todo = [k for k in keys if not _up_to_date(out, k, suffixes, since)]
    result = BatchResult(skipped=len(keys) - len(todo))
    if progress and result.skipped:
        progress(result.skipped)
    jobs = [
        (str(db), todo[i : i + CHUNK], str(out), sankey, dot, formats)
        for i in range(0, len(todo), CHUNK)
    ]
    t = time.perf_counter()
    n = workers or min(os.cpu_count() or 1, 8)
    pool = mp.get_context("fork").Pool(n) if n > 1 and len(jobs) > 1 else None
    try:
        for done, files, failures in pool.imap_unordered(_work, jobs) if pool else map(_work, jobs):
            result.projects += done
            result.files += files
            result.too_large += [k for k, why in failures if why == TOO_LARGE]
            result.failures += [(k, why) for k, why in failures if why != TOO_LARGE]
            if progress:
                progress(done)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    result.seconds = time.perf_counter() - t
    result.failures.sort()
    return result
