"""Typed domain objects: a review sheet (or any money flow) as plain frozen data.

Amounts are integer yen everywhere in the model. The declared unit of the
input is kept only to show figures the way the source printed them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from flowviz.messages import msg

#: Kinds of entity. ``block`` is an RS-system group of payees (支出先ブロック)
#: used when the sheet does not say which payee of a block passed money on.
ENTITY_KINDS = (
    "government",
    "ministry",
    "local_government",
    "agency",
    "company",
    "block",
    "individual",
    "other",
)

KIND_LABELS_JA = {
    "government": "政府",
    "ministry": "府省庁",
    "local_government": "地方公共団体",
    "agency": "独立行政法人・公的機関",
    "company": "民間企業",
    "block": "支出先ブロック",
    "individual": "個人",
    "other": "その他",
}


def kind_label(kind: str) -> str:
    """The legend's name for a kind of organisation, in the document's language."""
    labels = {
        "government": msg("政府"),
        "ministry": msg("府省庁"),
        "local_government": msg("地方公共団体"),
        "agency": msg("独立行政法人・公的機関"),
        "company": msg("民間企業"),
        "block": msg("支出先ブロック"),
        "individual": msg("個人"),
        "other": msg("その他"),
    }
    return labels.get(kind, kind)


#: Contract methods that are not competitive (随意契約 other than 企画競争/公募/少額).
NON_COMPETITIVE_PREFIX = "随意契約"
COMPETITIVE_SOLE_SOURCE = ("企画競争", "公募", "少額")


def is_non_competitive(method: str | None) -> bool:
    """The one definition of non-competitive (FV001 and ``non_competitive_pct``): 随意契約
    other than 企画競争 and 公募 (a call for proposals or applicants) and 少額 (below the
    予決令 99条 thresholds, where quotations are compared): the sole-source awards an
    office chose to make."""
    m = (method or "").replace(" ", "")
    return m.startswith(NON_COMPETITIVE_PREFIX) and not any(k in m for k in COMPETITIVE_SOLE_SOURCE)


#: the money columns of a budget year, in the order the sheets print them
BUDGET_AMOUNTS = (
    "initial",
    "supplementary",
    "carried_in",
    "carried_over",
    "reserve",
    "total",
    "executed",
)


@dataclass(frozen=True)
class Source:
    """Where the data came from, so every picture can cite it."""

    document: str = ""
    section: str = ""
    url: str = ""
    license: str = ""


@dataclass(frozen=True)
class Project:
    """Project metadata of one review sheet (事業)."""

    id: str
    name: str
    number: str = ""
    ministry: str = ""
    bureau: str = ""
    division: str = ""
    sheet_year: int | None = None
    flow_year: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    account: str = ""
    implementation: str = ""
    legal_basis: tuple[str, ...] = ()
    policy: str = ""
    measure: str = ""
    plans: tuple[str, ...] = ()
    related_projects: tuple[str, ...] = ()
    source: Source = field(default_factory=Source)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BudgetYear:
    """One column of the budget table (予算の状況), amounts in yen; ``None`` = not stated."""

    year: int
    label: str = ""
    initial: int | None = None
    supplementary: int | None = None
    carried_in: int | None = None
    carried_over: int | None = None
    reserve: int | None = None
    total: int | None = None
    executed: int | None = None
    execution_rate_pct: Decimal | None = None
    request: bool = False
    #: (field, citation) for figures that did not come from the sheet itself
    sources: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class BudgetItem:
    """One row of the budget breakdown (予算内訳) by 歳出予算目: year → yen."""

    name: str
    amounts: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Budget:
    """The budget table. ``total_excludes_carry_over``: the RS system's 計 (歳出予算現額) is
    当初+補正+前年度から繰越し+予備費, while the PDF sheets subtract 翌年度へ繰越し."""

    years: tuple[BudgetYear, ...] = ()
    breakdown: tuple[BudgetItem, ...] = ()
    breakdown_note: str = ""
    total_excludes_carry_over: bool = False


@dataclass(frozen=True, slots=True)
class Entity:
    """An organisation (or a block of payees) that pays or receives money."""

    id: str
    name: str
    kind: str = "other"
    corporate_number: str | None = None
    block: str | None = None
    block_name: str = ""
    role: str = ""
    location: str = ""
    payee_count: int | None = None
    #: what the sheet states this organisation (or block) received in total, when the split among
    #: its incoming links is not published (a block funded by several blocks); ``None``: not stated
    stated_received_yen: int | None = None


@dataclass(frozen=True, slots=True)
class Contract:
    """Contract metadata of a payment (契約方式, 入札者数, 落札率 …)."""

    method: str = ""
    method_detail: str = ""
    bidders: int | None = None
    award_rate_pct: Decimal | None = None
    non_competitive_reason: str = ""
    summary: str = ""

    @property
    def has_terms(self) -> bool:
        """True when the record names a contract method, bidders or an award rate."""
        return bool(self.method or self.bidders is not None or self.award_rate_pct is not None)

    @property
    def is_one_bidder(self) -> bool:
        return self.bidders == 1

    @property
    def is_non_competitive(self) -> bool:
        """随意契約 other than 企画競争・公募・少額 (:func:`is_non_competitive`)."""
        return is_non_competitive(self.method)


@dataclass(frozen=True, slots=True)
class BreakdownLine:
    """One 費目・使途 line of a payment (RS 5-3): amount in yen, may be negative; ``None`` when
    the published cell is blank (unknown, never 0円)."""

    expense_item: str
    purpose: str
    amount_yen: int | None


@dataclass(frozen=True, slots=True)
class ContractRecord:
    """One published contract (RS 5-1 contract rows, 5-4 multi-year contracts, or a v1 file).

    ``amount_yen`` is the contract value (契約額), possibly spread over several years: it is
    never a payment, never a flow width and never part of a flow total. ``None``: not published.
    """

    id: str
    contractor: str
    terms: Contract = field(default_factory=Contract)
    amount_yen: int | None = None
    block: str | None = None
    flow: str | None = None
    buyer: str | None = None
    origin: str = ""


@dataclass(frozen=True, slots=True)
class Flow:
    """Money moving from one entity to another.

    ``amount_yen`` is ``None`` when the amount is not published (unknown, never 0円); it may be
    negative for deductions and returns as published (drawn apart from positive flows).
    """

    id: str
    source: str
    target: str
    amount_yen: int | None
    year: int | None = None
    expense_item: str = ""
    purpose: str = ""
    link_type: str = ""
    contract: Contract = field(default_factory=Contract)
    breakdown: tuple[BreakdownLine, ...] = ()
    note: str = ""
    #: False when the data names payer and payee but not the route between them (an RS block
    #: with no 5-2 link, an old-format group): drawn in a distinct style, never as fact
    route_published: bool = True
    #: True when ``amount_yen`` sums only the published part (some 費目 lines are blank): the
    #: flow carried at least this much
    amount_is_lower_bound: bool = False


@dataclass(frozen=True)
class FlowDocument:
    """A whole input: project, budget, entities and flows, plus provenance."""

    project: Project
    entities: tuple[Entity, ...]
    flows: tuple[Flow, ...]
    unit: str = "円"
    budget: Budget = field(default_factory=Budget)
    contracts: tuple[ContractRecord, ...] = ()
    #: what flowviz read off the published rows and every picture must say (links repeated in
    #: 5-2, listed payees exceeding 執行額, blocks without a route …), beside the sheet's own notes
    findings: tuple[str, ...] = ()
    file: str = ""
    partial: bool = False
    partial_reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def entity(self, entity_id: str) -> Entity:
        for e in self.entities:
            if e.id == entity_id:
                return e
        raise KeyError(entity_id)

    @cached_property
    def entity_map(self) -> dict[str, Entity]:
        """id → entity, built once per document (renderers look entities up per flow)."""
        return {e.id: e for e in self.entities}

    @cached_property
    def flow_contracts(self) -> dict[str, tuple[Contract, ...]]:
        """flow id → the contract terms that apply to it: its own, and every contract record
        paid through it (built once; renderers colour links by these)."""
        out: dict[str, list[Contract]] = {}
        for fl in self.flows:
            if fl.contract.has_terms:
                out.setdefault(fl.id, []).append(fl.contract)
        for c in self.contracts:
            if c.flow:
                out.setdefault(c.flow, []).append(c.terms)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def suspects(self) -> dict[str, str]:
        """Flow or contract id → why its published figure is suspect (:mod:`flowviz.suspect`):
        kept as published, marked, and left out of totals and rules."""
        from flowviz.suspect import document_suspects

        return document_suspects(self)

    def all_contracts(self) -> list[ContractRecord]:
        """Every contract: the records, plus the terms of flows no record covers (v1 files)."""
        covered = {c.flow for c in self.contracts if c.flow}
        out = list(self.contracts)
        for fl in self.flows:
            if fl.contract.has_terms and fl.id not in covered:
                out.append(
                    ContractRecord(
                        id=f"flow:{fl.id}",
                        contractor=fl.target,
                        terms=fl.contract,
                        amount_yen=None,
                        flow=fl.id,
                        buyer=fl.source,
                        origin=f"flow {fl.id}",
                    )
                )
        return out
