"""The vendored OCDS 1.1.5 release-package schema, with the Subcontracting extension and
flowviz's award-rate extension merged into the release schema (JSON Merge Patch, RFC 7386, as
OCDS tooling applies extensions): a validator that works offline."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

OCDS = Path(__file__).resolve().parent.parent / "flowviz" / "data" / "ocds"
EXTENSIONS = ("subcontracting", "award_rate")


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    out = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text("utf-8"))


@cache
def release_schema() -> dict[str, Any]:
    schema = _load(OCDS / "release-schema.json")
    for ext in EXTENSIONS:
        schema = merge_patch(schema, _load(OCDS / ext / "release-schema.json"))
    return schema


def _unique_items(validator: Any, unique: bool, instance: Any, schema: dict[str, Any]) -> Any:
    """``uniqueItems`` by canonical JSON text: the same equality as jsonschema's pairwise check,
    in linear time (4,000 releases compared pairwise take half a minute)."""
    if not (unique and validator.is_type(instance, "array")):
        return
    seen: set[str] = set()
    for item in instance:
        key = json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
        if key in seen:
            yield jsonschema.ValidationError(f"{instance!r:.80} has non-unique elements")
            return
        seen.add(key)


FastDraft4 = jsonschema.validators.extend(
    jsonschema.Draft4Validator, {"uniqueItems": _unique_items}
)


@cache
def package_validator() -> jsonschema.Draft4Validator:
    release = release_schema()
    package = _load(OCDS / "release-package-schema.json")
    registry = Registry().with_resource(release["id"], Resource(release, specification=DRAFT4))
    return FastDraft4(package, registry=registry)


def errors(package: dict[str, Any]) -> list[str]:
    """Every schema error, as ``path: message`` (empty when the package is valid)."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in package_validator().iter_errors(package)
    ]
