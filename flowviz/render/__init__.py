"""Renderers: a layout or graph in, text (SVG, HTML, DOT) out. No file writing here."""
