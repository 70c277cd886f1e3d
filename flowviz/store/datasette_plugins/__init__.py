"""Datasette plugins shipped with flowviz (registered by pip through the ``datasette`` entry
point; ``datasette --plugins-dir`` on this folder loads them from a checkout)."""
