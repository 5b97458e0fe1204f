from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from schemas import CONTENT_FIELDS, Contact, Period, ProjectRecord, build_record, content_hash
from schemas.__main__ import SCHEMA_PATH, schema_text
from schemas.record import LATER_FIELDS

BASE = {
    "project_id": "stiftung-spi.de/projekte/x",
    "url": "https://www.stiftung-spi.de/projekte/x",
    "site": "stiftung-spi",
    "lang": "de",
    "title": "Projekt X",
    "status": "active",
}


def test_build_record_adds_the_hash_of_the_normalized_content():
    record = build_record({**BASE, "title": "  Projekt X  "})
    assert record.title == "Projekt X"
    assert record.content_hash == content_hash(record.model_dump(mode="json"))


# JSON values as model_dump(mode="json") makes them: any text, nested lists and objects.
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(st.fixed_dictionaries({}, optional={name: _json_values for name in CONTENT_FIELDS}))
def test_content_hash_is_sha256_of_the_documented_json_form(content):
    """The hash is fixed by its definition, not by the JSON library that computes it: stored
    hashes stay comparable across versions of this code."""
    payload = {
        key: content.get(key)
        for key in CONTENT_FIELDS
        if key not in LATER_FIELDS or content.get(key)
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert content_hash(content) == hashlib.sha256(text.encode("utf-8")).hexdigest()


_texts = st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=12).filter(
    lambda t: t.strip() == t
)


@given(
    start=st.dates(),
    days=st.integers(0, 4000),
    amount=st.floats(0, 1e12, allow_nan=False) | st.integers(0, 10**9),
    words=st.lists(_texts, max_size=3),
    heading=st.none() | _texts,
    grant=st.booleans(),
)
def test_the_hash_of_the_validated_models_is_the_hash_of_their_json_form(
    start, days, amount, words, heading, grant
):
    """build_record hashes the validated fields as they are (models, dates, floats), without a
    dump to JSON mode first: the same hash as that dump gives, so stored hashes stay valid."""
    end = start + timedelta(days=days) if start.year < 9000 else start
    record = build_record(
        {
            **BASE,
            "period": {
                "start": start,
                "end": end,
                "start_precision": "day",
                "end_precision": "month",
                "raw": "2019 - 2021",
            },
            "grant_amount": {"value": amount, "currency": "EUR", "raw": "x"} if grant else None,
            "partners": words,
            "funders": words,
            "contact": {"organization": heading, "persons": words, "postal_code": "10117"},
            "sections": [{"heading": heading, "text": w} for w in words],
        }
    )
    assert record.content_hash == content_hash(record.model_dump(mode="json"))


def test_a_value_the_hash_cannot_write_is_an_error():
    with pytest.raises(TypeError, match="not JSON serializable"):
        content_hash({"title": {"a"}})


def test_hash_ignores_identity_fields_and_sees_content():
    a = build_record(BASE)
    moved = build_record(
        {**BASE, "project_id": "stiftung-spi.de/y", "url": "https://www.stiftung-spi.de/y"}
    )
    changed = build_record({**BASE, "status": "completed"})
    assert a.content_hash == moved.content_hash
    assert a.content_hash != changed.content_hash


def test_extra_fields_are_forbidden():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        build_record({**BASE, "colour": "blue"})
    with pytest.raises(ValidationError):
        Contact(organization="x", mobile="1")  # type: ignore[call-arg]


def test_a_tampered_hash_is_rejected():
    record = build_record(BASE).model_dump(mode="json")
    record["title"] = "Other"
    with pytest.raises(ValidationError, match="content_hash does not match"):
        ProjectRecord.model_validate(record)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (
            {
                "start": "2017-12-31",
                "end": "2014-02-01",
                "start_precision": "day",
                "end_precision": "day",
                "raw": "x",
            },
            "after its end",
        ),
        ({"start": "2017-12-31", "raw": "x"}, "start and start_precision"),
        ({"end": "2017-12-31", "end_precision": "week", "raw": "x"}, "end_precision"),
        ({"raw": ""}, "at least 1 character"),
    ],
)
def test_period_validation(period, message):
    with pytest.raises(ValidationError, match=message):
        Period.model_validate(period)


@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ({"phones": ["030 49300110"]}, "E.164"),
        ({"fax": "-"}, "E.164"),
        ({"emails": ["Info@X.de"]}, "lowercase"),
        ({"postal_code": "1O247"}, "digits"),
    ],
)
def test_contact_validation(contact, message):
    with pytest.raises(ValidationError, match=message):
        Contact.model_validate(contact)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("lang", "fr"),
        ("status", "done"),
        ("url", "/relative"),
        ("title", ""),
        ("related", ["/projekte/x"]),
    ],
)
def test_record_field_validation(field, value):
    with pytest.raises(ValidationError):
        build_record({**BASE, field: value})


def test_published_json_schema_is_current():
    """Regenerate with `python -m schemas`."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(ProjectRecord.model_fields)
    assert Path(SCHEMA_PATH).name == "project_record.schema.json"


def test_built_record_is_what_pydantic_would_construct_and_validate():
    record = build_record(
        {**BASE, "period": {"start": "2020-01-01", "start_precision": "day", "raw": "seit 2020"}}
    )
    constructed = ProjectRecord.model_construct(
        _fields_set=set(ProjectRecord.model_fields), **dict(record)
    )
    assert record == constructed
    assert record.model_fields_set == constructed.model_fields_set
    assert record.__pydantic_extra__ is None and record.__pydantic_private__ is None
    assert ProjectRecord.model_validate(record.model_dump()) == record
    assert record.model_copy(update={"title": "Y"}).title == "Y"
    assert record.model_dump_json() == constructed.model_dump_json()


def test_grant_facts_enter_the_hash_only_when_set():
    """Records hashed before the grant facts existed keep their hash; set facts change it."""
    plain = build_record(BASE)
    empty = build_record({**BASE, "grant_amount": None, "partners": [], "target_groups": []})
    granted = build_record(
        {**BASE, "grant_amount": {"value": 45000, "currency": "EUR", "raw": "45.000 €"}}
    )
    partnered = build_record({**BASE, "partners": ["Kita Lorraine"]})
    assert plain.content_hash == empty.content_hash
    assert len({plain.content_hash, granted.content_hash, partnered.content_hash}) == 3


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        ({"value": -1, "currency": "EUR", "raw": "-1 €"}, "greater than or equal to 0"),
        ({"value": 1, "currency": "eur", "raw": "1 €"}, "should match pattern"),
        ({"value": 1, "currency": "EUR", "raw": ""}, "at least 1 character"),
    ],
)
def test_grant_amount_is_validated(amount, problem):
    with pytest.raises(ValidationError, match=problem):
        build_record({**BASE, "grant_amount": amount})
