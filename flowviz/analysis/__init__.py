"""Analysis: pure functions of the model — trace, payees, flags, aggregates, records.

Nothing here reads files or draws pictures; the store is read only through
:mod:`flowviz.store` queries passed in by the caller.
"""

from flowviz.analysis.core import *  # noqa: F403
from flowviz.analysis.core import (  # noqa: F401
    MAX_PATHS,
    RULES,
    Thresholds,
    flags,
    flags_by_flow,
    focus_set,
    payee_key,
    payees,
    pct,
    resolve,
    source_total,
    trace,
    trace_records,
)
