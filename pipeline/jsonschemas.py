"""Load the project's JSON Schemas (``schemas/*.schema.json``) and validate against them.

The schemas live in the project's top-level ``schemas/`` folder; a copy is shipped in
the package (``pipeline/data/schemas``) so an installed pipeline finds them too.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import PipelineError

if TYPE_CHECKING:  # jsonschema is imported when first needed (it is slow to import)
    from jsonschema.protocols import Validator

PACKAGE_SCHEMAS = Path(__file__).parent / "data" / "schemas"
PROJECT_SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"


def schema_path(name: str) -> Path:
    for folder in (PROJECT_SCHEMAS, PACKAGE_SCHEMAS):
        candidate = folder / name
        if candidate.exists():
            return candidate
    raise PipelineError(f"schema {name} not found in {PROJECT_SCHEMAS}")


@functools.cache
def validator(name: str) -> Validator:
    import jsonschema

    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def errors(name: str, instance: Any) -> list[str]:
    """Human-readable schema violations, each with its JSON path."""
    out = []
    for err in sorted(validator(name).iter_errors(instance), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in err.absolute_path) or "(top level)"
        out.append(f"{where}: {err.message}")
    return out
