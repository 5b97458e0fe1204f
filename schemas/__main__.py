"""python -m schemas: write the record's JSON Schema to schemas/project_record.schema.json."""

import json
from pathlib import Path

from schemas.record import ProjectRecord

SCHEMA_PATH = Path(__file__).with_name("project_record.schema.json")


def schema_text() -> str:
    schema = ProjectRecord.model_json_schema(mode="serialization")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
