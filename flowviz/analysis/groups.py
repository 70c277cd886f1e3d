"""Company groups and related parties: re-delegation to one's own group, payees at one address.

A relation is *likely* when two companies' names share a stem (one company's whole name, legal
form and ほか/等 removed, begins the other's: 博報堂 → 博報堂プロダクツ) or when two payees with
different 法人番号 publish the same 所在地. Likely is not confirmed: a hand-kept CSV of groups
(``group,member,related``; member is a 法人番号 or the exact name; related ``yes`` or ``no``)
confirms a relation (``yes``: every pair of the group) or rules one out (``no``: the member is
not related to the rest of the group, whatever the names say). Each finding says on what it rests.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from flowviz.exceptions import OptionError
from flowviz.i18n import free
from flowviz.kinds import organisation_kind
from flowviz.messages import msg
from flowviz.model import Entity, FlowDocument
from flowviz.names import is_generic, normalise_name
from flowviz.side_csv import read_side_csv

_TAIL = re.compile(r"(ほか|ホカ|他|等|外)\d*(者|社)?$")  # ホカ: the normaliser folds kana
MIN_STEM = 2


def name_stem(name: str) -> str:
    """The comparison key without legal form and a trailing ほか/等 (…ほか3社)."""
    return _TAIL.sub("", normalise_name(name))


@dataclass
class Groups:
    """The hand-kept groups: member key (法人番号 or name) → group, and the ruled-out members."""

    file: str = ""
    member_group: dict[str, str] = field(default_factory=dict)
    not_related: dict[str, str] = field(default_factory=dict)

    def group_of(self, e: Entity) -> str | None:
        return self.member_group.get(e.corporate_number or "") or self.member_group.get(e.name)

    def ruled_out(self, a: Entity, b: Entity) -> bool:
        for x, y in ((a, b), (b, a)):
            g = self.not_related.get(x.corporate_number or "") or self.not_related.get(x.name)
            if g and g == self.group_of(y):
                return True
        return False


def load_groups(path: str | Path | None) -> Groups:
    """Read the hand-kept CSV; a bad row is an error naming the file and line."""
    if path is None:
        return Groups()
    out = Groups(file=str(path))
    for line, row in read_side_csv(str(path), "groups file", ("group", "member", "related")):
        group, member = (row.get("group") or "").strip(), (row.get("member") or "").strip()
        related = (row.get("related") or "yes").strip().lower()
        if not group or not member or related not in ("yes", "no"):
            raise OptionError(f"{path}: line {line}: expected a group, a member and related yes/no")
        (out.member_group if related == "yes" else out.not_related)[member] = group
        if related == "no":
            out.member_group.setdefault(member, group)
    return out


def relation(a: Entity, b: Entity, groups: Groups) -> tuple[str, str] | None:
    """``(status, basis)`` when ``a`` and ``b`` are related: status ``confirmed`` or ``likely``."""
    if a.id == b.id or (a.corporate_number and a.corporate_number == b.corporate_number):
        return None
    if groups.ruled_out(a, b):
        return None
    ga, gb = groups.group_of(a), groups.group_of(b)
    if ga and ga == gb:
        return "confirmed", msg("{file} で同じグループ「{group}」", group=ga, file=groups.file)
    if is_generic(a.name) or is_generic(b.name):
        return None
    sa, sb = sorted((name_stem(a.name), name_stem(b.name)), key=len)
    companies = all(organisation_kind(e.name, e.corporate_number)[0] == "company" for e in (a, b))
    # equal stems are one organisation in two blocks, not a group; a place name (沖縄県 →
    # 沖縄県漁業協同組合連合会) is not a company group: the stem rule is for companies only
    if companies and len(sa) >= MIN_STEM and sb.startswith(sa) and sa != sb:
        return "likely", msg("名前の共通部分「{stem}」", stem=free(sa))
    la, lb = _address(a.location), _address(b.location)
    if la and la == lb:
        return "likely", msg("同じ所在地「{address}」", address=free(a.location))
    return None


def _address(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def related_redelegations(doc: FlowDocument, groups: Groups) -> list[tuple]:
    """Flows from one organisation to a related one, where the payer itself received money
    (a re-delegation, not the ministry's own grant): ``(flow, payer, payee, status, basis)``."""
    ents = doc.entity_map
    receives = {f.target for f in doc.flows}
    out = []
    for f in doc.flows:
        a, b = ents.get(f.source), ents.get(f.target)
        if a is None or b is None or f.source not in receives:
            continue
        rel = relation(a, b, groups)
        if rel:
            out.append((f, a, b, *rel))
    return out


def shared_addresses(doc: FlowDocument) -> list[tuple[str, list[Entity]]]:
    """Payees with different 法人番号 that publish the same 所在地."""
    by_address: dict[str, list[Entity]] = {}
    for e in doc.entities:
        if _address(e.location) and e.corporate_number:
            by_address.setdefault(_address(e.location), []).append(e)
    return [
        (ents[0].location, ents)
        for ents in by_address.values()
        if len({e.corporate_number for e in ents}) > 1
    ]
