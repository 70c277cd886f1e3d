"""Analysis: pure functions of the model — trace, payees, flags, aggregates, records.

Nothing here reads files or draws pictures. Modules: :mod:`common` (shares, finding entities),
:mod:`trace`, :mod:`payees`, :mod:`flags`, :mod:`records` (flat rows and summaries),
:mod:`aggregate` (government/ministry views over store documents).
"""

from flowviz.analysis.common import pct, resolve
from flowviz.analysis.flags import RULES, Thresholds, flags, flags_by_flow
from flowviz.analysis.payees import NOT_ACCOUNTED, payee_key, payees, source_total
from flowviz.analysis.trace import MAX_PATHS, focus_set, trace, trace_records

__all__ = [
    "MAX_PATHS",
    "NOT_ACCOUNTED",
    "RULES",
    "Thresholds",
    "flags",
    "flags_by_flow",
    "focus_set",
    "payee_key",
    "payees",
    "pct",
    "resolve",
    "source_total",
    "trace",
    "trace_records",
]
