"""The JSON Schema is derived from the model, and the bundled files point editors at it."""

from __future__ import annotations

import json

from conftest import BUNDLED

from generator.schema import json_schemas


def test_schema_command_prints_every_file_kind(psychoed):
    run = psychoed("schema")
    assert run.code == 0
    schemas = json.loads(run.out)
    assert set(schemas) == {"program", "track", "module", "worksheet"}
    module = schemas["module"]
    for field in ("title", "code", "audience", "minutes", "tracks", "summary", "main_message", "last_reviewed",
                  "content_notes", "objectives", "key_points", "sections", "discussion", "practice", "worksheets",
                  "facilitator", "variants", "references"):
        assert field in module["properties"], field
    assert module["additionalProperties"] is False
    assert "id" not in module["required"]


def test_committed_schema_files_match_the_model():
    for kind, schema in json_schemas().items():
        committed = json.loads((BUNDLED / "schema" / f"{kind}.schema.json").read_text())
        assert committed == schema, f"run `psychoed schema --write curriculum/schema` ({kind} is stale)"


def test_every_bundled_file_points_at_its_schema():
    kinds = {"program.yml": "program", "tracks": "track", "modules": "module", "worksheets": "worksheet"}
    # Translation overlays (program.es.yml, <id>.es.yml) hold only text and follow their source's
    # structure; they are checked against their source, not against a schema of their own.
    files = sorted(p for p in BUNDLED.rglob("*.yml") if len(p.suffixes) == 1)
    assert files
    for path in files:
        relative = path.relative_to(BUNDLED)
        kind = kinds[relative.parts[0]]
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target == (BUNDLED / "schema" / f"{kind}.schema.json").resolve(), path
