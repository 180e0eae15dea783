"""Turn a ``Picture`` into DOT, SVG or PNG bytes.

SVG: Graphviz compiled to WebAssembly (``@hpcc-js/wasm-graphviz``), run by the pinned Node
through ``graphviz.mjs``. PNG: that SVG rasterised by resvg (``resvg-py``) at 2x, with the
DejaVu Sans fonts of the ``dejavu-fonts-ttf`` npm package, so the picture is the same on
every machine. ``make install`` installs all three; no system Graphviz, Cairo or fonts.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from deployer.diagram.dot import to_dot
from deployer.diagram.model import Picture

PROJECT_DIR = Path(__file__).resolve().parents[2]
NODE = PROJECT_DIR / "node_modules" / ".bin" / "node"
GRAPHVIZ = PROJECT_DIR / "node_modules" / "@hpcc-js" / "wasm-graphviz"
SCRIPT = Path(__file__).with_name("graphviz.mjs")
FONTS = PROJECT_DIR / "node_modules" / "dejavu-fonts-ttf" / "ttf"
FONT_FILES = (FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf")
# Graphviz sizes text with built-in metrics of the font it is given: the SVG names Helvetica,
# which every viewer has; the PNG names DejaVu Sans, the font resvg is given.
SVG_FONT = "Helvetica"
PNG_FONT = "DejaVu Sans"
PNG_ZOOM = 2.0
TIMEOUT_S = 120.0


class RenderError(RuntimeError):
    """Graphviz or the fonts are missing, or Graphviz failed; the message says which."""


def render(picture: Picture, fmt: str) -> bytes:
    """``picture`` as ``fmt`` (``dot``, ``svg`` or ``png``)."""
    if fmt == "dot":
        return to_dot(picture, SVG_FONT).encode()
    if fmt == "svg":
        return svg(to_dot(picture, SVG_FONT)).encode()
    return png(svg(to_dot(picture, PNG_FONT)))


def svg(dot: str) -> str:
    """Lay ``dot`` out with Graphviz; SVG text."""
    missing = [path for path in (NODE, GRAPHVIZ) if not path.exists()]
    if missing:
        raise RenderError(f"{missing[0]} is missing; run 'make install' (npm ci) first")
    try:
        completed = subprocess.run(
            [str(NODE), str(SCRIPT)],
            input=dot,
            capture_output=True,
            text=True,
            cwd=PROJECT_DIR,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"Graphviz did not finish within {TIMEOUT_S:.0f} s") from None
    if completed.returncode != 0:
        raise RenderError(f"Graphviz failed: {completed.stderr.strip()}")
    return completed.stdout


def png(svg_text: str) -> bytes:
    """Rasterise ``svg_text`` (from ``svg`` with ``PNG_FONT``) on white; PNG bytes."""
    import resvg_py

    missing = [path for path in FONT_FILES if not path.exists()]
    if missing:
        raise RenderError(f"{missing[0]} is missing; run 'make install' (npm ci) first")
    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg_text,
            dpi=96,  # resvg-py's default of 0 makes Graphviz's point sizes zero
            zoom=PNG_ZOOM,
            background="white",
            skip_system_fonts=True,
            font_files=[str(path) for path in FONT_FILES],
        )
    )
