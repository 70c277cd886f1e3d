"""Fetch the official files of a year from the RS system, as published.

The site publishes 15 ZIPs per sheet year at ``{base}/files/{YEAR}/rs/{name}.zip`` and answers a
missing file with HTTP 200 and an HTML page: a body is kept only if it is a ZIP (starts with
``PK``). Downloads go to ``NAME.zip.part`` and are renamed when complete; an interrupted one is
resumed with an HTTP Range request. Files already present and valid are skipped.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flowviz.exceptions import FlowvizError

RS_BASE = "https://rssystem.go.jp"
RS_FILES = (
    "1-1_RS_{y}_基本情報_組織情報",
    "1-2_RS_{y}_基本情報_事業概要等",
    "1-3_RS_{y}_基本情報_政策・施策、法令等",
    "1-4_RS_{y}_基本情報_補助率等",
    "1-5_RS_{y}_基本情報_関連事業",
    "2-1_RS_{y}_予算・執行_サマリ",
    "2-2_RS_{y}_予算・執行_予算種別・歳出予算項目",
    "3-1_RS_{y}_効果発現経路_目標・実績",
    "3-2_RS_{y}_効果発現経路_目標のつながり",
    "4-1_RS_{y}_点検・評価",
    "5-1_RS_{y}_支出先_支出情報",
    "5-2_RS_{y}_支出先_支出ブロックのつながり",
    "5-3_RS_{y}_支出先_費目・使途",
    "5-4_RS_{y}_支出先_国庫債務負担行為等による契約",
    "6-1_RS_{y}_その他備考",
)
CHUNK = 1 << 16


class DownloadError(FlowvizError, OSError):
    """A download that could not be completed; the message says which and why."""


@dataclass
class DownloadResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # answered with a page, not a ZIP


def rs_urls(year: int, base: str = RS_BASE) -> list[tuple[str, str]]:
    """(file name, URL) of the 15 official ZIPs of ``year``."""
    out = []
    for pattern in RS_FILES:
        name = pattern.format(y=year) + ".zip"
        out.append((name, f"{base.rstrip('/')}/files/{year}/rs/{urllib.parse.quote(name)}"))
    return out


ZIP = b"PK"
GZIP = b"\x1f\x8b"


def _starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as f:
        return f.read(len(magic)) == magic


def _fetch(
    url: str, part: Path, progress: Callable[[int], None] | None, magic: bytes = ZIP
) -> bool:
    """Append the body of ``url`` to ``part`` (resuming from its size); False if the body is
    not the expected kind of file (a ZIP, or gzip for ``magic=GZIP``)."""
    start = part.stat().st_size if part.exists() else 0
    req = urllib.request.Request(url, headers={"User-Agent": "flowviz"})
    if start:
        req.add_header("Range", f"bytes={start}-")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            if start and resp.status != 206:  # the server ignored the range: start again
                start = 0
            first = resp.read(CHUNK)
            if start == 0 and not first.startswith(magic):
                return False
            with part.open("ab" if start else "wb") as f:
                while first:
                    f.write(first)
                    if progress:
                        progress(len(first))
                    first = resp.read(CHUNK)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DownloadError(
            f"{url}: {getattr(exc, 'reason', exc)}; run the command again to resume"
        ) from None
    return True


def download_rs(
    year: int,
    to: str | Path,
    base: str = RS_BASE,
    progress: Callable[[int], None] | None = None,
) -> DownloadResult:
    """Download every official ZIP of ``year`` into ``to``; see the module docstring."""
    return _download(rs_urls(year, base), Path(to), progress, ZIP)


def judgit_urls(year: int, base: str) -> list[tuple[str, str]]:
    """(file name, URL) of one year of old-format sheets as NDJSON.gz (one sheet a line)."""
    name = f"judgit-{year}.ndjson.gz"
    return [(name, f"{base.rstrip('/')}/{urllib.parse.quote(name)}")]


def download_judgit(
    year: int, to: str | Path, base: str, progress: Callable[[int], None] | None = None
) -> DownloadResult:
    """Download ``judgit-YEAR.ndjson.gz`` from a mirror at ``base`` (JUDGIT! itself publishes
    a Git repository of per-sheet JSON files; `flowviz import` reads a clone's folder too)."""
    return _download(judgit_urls(year, base), Path(to), progress, GZIP)


def _download(
    urls: list[tuple[str, str]], folder: Path, progress: Callable[[int], None] | None, magic: bytes
) -> DownloadResult:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create {folder}: {exc.strerror}") from None
    result = DownloadResult()
    kind = "ZIP" if magic == ZIP else "gzip"
    for name, url in urls:
        target = folder / name
        if target.exists() and _starts_with(target, magic):
            result.skipped.append(target)
            continue
        part = folder / (name + ".part")
        if _fetch(url, part, progress, magic):
            if not _starts_with(part, magic):
                part.unlink()
                raise DownloadError(f"{url}: the body is not a {kind} file")
            os.replace(part, target)
            result.written.append(target)
        else:
            part.unlink(missing_ok=True)
            result.missing.append(name)
    return result


def download(
    source: str,
    year: int,
    to: str | Path,
    base: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> DownloadResult:
    """``download rs|judgit YEAR``: the right files, from ``base`` or the official site."""
    if source == "rs":
        return download_rs(year, to, base or RS_BASE, progress)
    if source == "judgit":
        if not base:
            raise DownloadError(
                "download judgit needs --base-url: JUDGIT! publishes a Git repository"
                " (judgit/data) rather than per-year files; clone it and `flowviz import` its"
                " data folder, or give a mirror that serves judgit-YEAR.ndjson.gz"
            )
        return download_judgit(year, to, base, progress)
    raise DownloadError(f"download {source!r}: choose rs or judgit")
