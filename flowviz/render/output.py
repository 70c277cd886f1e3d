"""The only place that writes files or runs external programs.

Writes are atomic (a temporary file in the same folder, then ``os.replace``)
so a crash never leaves a half-written SVG and an existing file is replaced
only on success. Output paths are built from sanitised names and checked to
stay inside the output folder.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from flowviz.exceptions import OutputError, RendererNotFound
from flowviz.text import unique_stem

STDOUT = "-"


def is_stdout(path: str | Path | None) -> bool:
    """``-`` as an output means standard output (never a file or folder named ``-``)."""
    return path is not None and str(path) == STDOUT


def write_stdout(data: bytes | str | Iterable[str]) -> None:
    import sys

    sys.stdout.flush()
    if isinstance(data, (str, bytes)):
        sys.stdout.buffer.write(data.encode("utf-8") if isinstance(data, str) else data)
    else:
        for chunk in data:
            sys.stdout.buffer.write(chunk.encode("utf-8"))
    sys.stdout.buffer.flush()


def output_path(out_dir: str | Path, stem: str, suffix: str, key: str | None = None) -> Path:
    """``out_dir/<unique stem><suffix>``, guaranteed to be inside ``out_dir`` and different for
    every different stem (or ``key``; see :func:`flowviz.text.unique_stem`); for ``out_dir``
    ``-`` the file goes to standard output."""
    if is_stdout(out_dir):
        return Path(STDOUT)
    base = Path(out_dir).resolve()
    name = unique_stem(stem, key) + suffix
    path = (base / name).resolve()
    if path.parent != base:
        raise OutputError(f"output name {stem!r} would leave {base}; refusing to write")
    return path


def atomic_write(path: str | Path, data: bytes | str | Iterable[str]) -> Path:
    """Write ``data`` (or each string it yields, as it is made) to ``path`` atomically;
    create the folder if needed."""
    p = Path(path)
    if is_stdout(p):
        write_stdout(data)
        return p
    if os.path.lexists(p):
        try:
            st = os.stat(p)  # follows a symlink to what it names
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            raise OutputError(
                f"{p} exists and is not a regular file (a device, FIFO, folder or dangling link);"
                " refusing to replace it: choose another --out"
            )
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent)
    except OSError as exc:
        raise OutputError(f"cannot write into {p.parent}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (str, bytes)):
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for chunk in data:
                    fh.write(chunk.encode("utf-8"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, p)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {p}: {exc.strerror}") from None
        raise
    return p


def dot_executable() -> str:
    exe = shutil.which("dot")
    if exe is None:
        raise RendererNotFound(
            "the Graphviz program `dot` was not found on PATH; install it"
            " (Debian: apt-get install graphviz) or render with --sankey only"
        )
    return exe


def run_dot(source: str, fmt: str, timeout: float = 120) -> bytes:
    """Run ``dot -T<fmt>`` on DOT text and return the output bytes."""
    try:
        proc = subprocess.run(
            [dot_executable(), f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OutputError(
            f"dot took longer than {timeout:g}s; narrow the graph with --top or --focus"
        ) from None
    if proc.returncode != 0:
        msg = " ".join(proc.stderr.decode("utf-8", "replace").split())[:300]
        raise OutputError(f"dot failed (exit {proc.returncode}): {msg}")
    return proc.stdout


def run_dot_batch(sources: dict[Path, str], fmt: str = "svg") -> dict[Path, str]:
    """Render many DOT texts with one ``dot`` process (``-O``), then move results in place.

    Starting ``dot`` costs ~20 ms; batching keeps whole-year renders within a minute.
    Returns the targets that failed, with the reason (the others are written).
    """
    failed: dict[Path, str] = {}
    if not sources:
        return failed
    with tempfile.TemporaryDirectory(prefix="flowviz-dot-") as tmp:
        names = []
        for i, (_, src) in enumerate(sources.items()):
            f = Path(tmp) / f"g{i}.gv"
            f.write_text(src, encoding="utf-8")
            names.append(str(f))
        proc = subprocess.run(
            [dot_executable(), f"-T{fmt}", "-O", *names], capture_output=True, check=False
        )
        for i, target in enumerate(sources):
            produced = Path(tmp) / f"g{i}.gv.{fmt}"
            if proc.returncode != 0 or not produced.exists() or produced.stat().st_size == 0:
                # Graphviz 2.43 can crash (double free) in -O mode on a sequence of graphs that
                # each render fine alone: retry every graph of a failed batch on its own
                try:
                    atomic_write(target, run_dot(sources[target], fmt))
                except OutputError as exc:
                    failed[target] = str(exc)
                continue
            atomic_write(target, produced.read_bytes())
    return failed


def html_to_pdf(html: str) -> bytes:
    """Print a self-contained page to PDF with headless Chromium (A4 and margins come from
    the page's own @page rules; Chromium's date/URL header is left out)."""
    import shutil
    import subprocess

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise RendererNotFound(
            "--pdf needs Chromium; apt-get install chromium (./bootstrap.sh installs it)"
        )
    with tempfile.TemporaryDirectory(prefix="flowviz-pdf-") as tmp:
        page, pdf = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
        page.write_text(html, "utf-8")
        args = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        proc = subprocess.run(args, capture_output=True, timeout=180, check=False)
        if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF"):
            tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:]
            raise RendererNotFound(f"Chromium could not print the page to PDF ({' '.join(tail)})")
        return pdf.read_bytes()


def svg_to(svg: str, fmt: str) -> bytes:
    """Convert our Sankey SVG to PNG or PDF with cairo (fonts from fontconfig)."""
    try:
        import cairosvg
    except (ImportError, OSError) as exc:  # OSError: libcairo missing
        raise RendererNotFound(
            f"PNG/PDF export needs cairosvg and libcairo ({exc}); pip install cairosvg"
            " and apt-get install libcairo2"
        ) from None
    data = svg.encode("utf-8")
    try:
        if fmt == "png":
            return cairosvg.svg2png(bytestring=data, scale=2.0)
        if fmt == "pdf":
            return cairosvg.svg2pdf(bytestring=data)
    except (MemoryError, Exception) as exc:  # cairo's CairoError is no flowviz error
        if type(exc).__name__ != "CairoError" and not isinstance(exc, MemoryError):
            raise
        raise OutputError(
            f"cairo cannot draw a {fmt.upper()} this size ({exc}); a side is limited to"
            " 32,767 px: give a smaller --width, or write SVG"
        ) from None
    raise ValueError(f"unknown format {fmt}")
