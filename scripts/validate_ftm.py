#!/usr/bin/env python3
"""Validate a trawl FollowTheMoney export with the reference implementation.

Usage: scripts/validate_ftm.py FILE.ftm.jsonl
Needs the `followthemoney` package (pip install followthemoney).

Checks, for every line: a JSON object with id, schema and properties; the schema exists and is
not abstract; every property belongs to the schema; every value is valid for its property type;
the schema's own validation passes (required properties present); the entity loads as an
EntityProxy without loss. Across the file: ids are unique, and every entity reference points at
an entity of the file whose schema fits the property's range (an Ownership asset is an Asset, a
Directorship organization an Organization, ...). Prints a summary; exits 1 on any error.
"""

import json
import sys
from collections import Counter

from followthemoney import model
from followthemoney.exc import InvalidData


def main(path: str) -> int:
    errors: list[str] = []
    entities: dict[str, dict] = {}
    schemas: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            where = f"{path}:{lineno}"
            try:
                data = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{where}: not JSON: {e}")
                continue
            if not all(k in data for k in ("id", "schema", "properties")):
                errors.append(f"{where}: needs id, schema and properties")
                continue
            schema = model.get(data["schema"])
            if schema is None or schema.abstract:
                errors.append(f"{where}: unknown or abstract schema {data['schema']!r}")
                continue
            for name, values in data["properties"].items():
                prop = schema.get(name)
                if prop is None:
                    errors.append(f"{where}: {schema.name} has no property {name!r}")
                    continue
                if not isinstance(values, list) or not values:
                    errors.append(f"{where}: {name} must be a non-empty list")
                    continue
                for v in values:
                    if not isinstance(v, str) or not prop.type.validate(v):
                        errors.append(f"{where}: {name}={v!r} is not a valid {prop.type.name}")
            try:
                schema.validate(data)
            except InvalidData as e:
                errors.append(f"{where}: {schema.name}: {e.errors}")
            proxy = model.get_proxy(data, cleaned=False)
            for name, values in data["properties"].items():
                if schema.get(name) is not None and sorted(proxy.get(name)) != sorted(values):
                    errors.append(f"{where}: {name} changed on load: {values} -> {proxy.get(name)}")
            if data["id"] in entities:
                errors.append(f"{where}: duplicate id {data['id']}")
            entities[data["id"]] = {"schema": schema, "data": data, "where": where}
            schemas[schema.name] += 1

    refs = 0
    for ent in entities.values():
        schema = ent["schema"]
        for name, values in ent["data"]["properties"].items():
            prop = schema.get(name)
            if prop is None or prop.type.name != "entity":
                continue
            for ref in values:
                refs += 1
                target = entities.get(ref)
                if target is None:
                    errors.append(f"{ent['where']}: {name} -> {ref}: no such entity in the file")
                elif prop.range is not None and not target["schema"].is_a(prop.range):
                    errors.append(
                        f"{ent['where']}: {name} -> {ref} is a {target['schema'].name}, "
                        f"not a {prop.range.name}"
                    )

    summary = ", ".join(f"{n} {s}" for s, n in sorted(schemas.items()))
    print(f"{path}: {len(entities)} entities ({summary}); {refs} references")
    for e in errors[:50]:
        print("  error:", e)
    if errors:
        print(f"{len(errors)} errors")
        return 1
    print("valid: every entity, property, value and reference checks out")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
