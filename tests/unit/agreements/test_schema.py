from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from truceline.agreements.documents import (
    BUILTIN_IDS,
    AgreementInvalid,
    builtin_documents,
    document_from_data,
)
from truceline.agreements.domain import AgreementCompileError, AgreementIndex, compile_agreements
from truceline.agreements.schema import UNKNOWN, AgreementDocument, agreement_json_schema

DOCS = Path(__file__).resolve().parents[3] / "docs"


def truce_data() -> dict[str, Any]:
    return builtin_documents()[0].model_dump(mode="json", by_alias=True)


def invalid(data: dict[str, Any]) -> list[str]:
    with pytest.raises(AgreementInvalid) as caught:
        document_from_data(data, source="test")
    return caught.value.errors


def test_the_builtin_profile_has_the_four_agreements_each_with_sources() -> None:
    documents = builtin_documents()
    assert tuple(d.id for d in documents) == BUILTIN_IDS
    assert all(d.sources for d in documents)


def test_the_truce_runs_48_hours_from_18_00_pkt() -> None:
    truce = compile_agreements(builtin_documents())[0]
    start, end = truce.windows[0]
    assert start == datetime.fromisoformat("2025-10-15T13:00:00+00:00").timestamp()
    assert end - start == 48 * 3600


def test_doha_support_clause_is_asymmetric_and_binds_af_only() -> None:
    doha = next(d for d in builtin_documents() if d.id == "doha-2025-10-19")
    clause = doha.clauses[0]
    assert [b.party for b in clause.binds] == ["AF"]
    assert clause.asymmetric is not None


def test_unpublished_penalty_levels_are_marked_unknown_not_guessed() -> None:
    istanbul = next(d for d in builtin_documents() if d.id == "istanbul-2025-10-30")
    assert istanbul.consequences.imposed_on == "violating_party"
    assert istanbul.consequences.penalty_levels == UNKNOWN


def test_a_clause_binding_one_party_must_say_why() -> None:
    data = truce_data()
    data["clauses"][0]["binds"] = data["clauses"][0]["binds"][:1]
    assert any("asymmetric" in e for e in invalid(data))


def test_a_naive_entry_into_force_is_rejected_naming_the_field() -> None:
    data = truce_data()
    data["in_force_from"] = "2025-10-15T18:00:00"
    assert any(e.startswith("in_force_from") for e in invalid(data))


def test_errors_name_the_nested_path() -> None:
    data = truce_data()
    data["clauses"][0]["binds"][0]["party"] = "IR"
    assert any(e.startswith("clauses[0].binds[0].party") for e in invalid(data))


def test_unknown_fields_are_rejected() -> None:
    data = truce_data()
    data["penalties"] = "harsh"
    assert any(e.startswith("penalties") for e in invalid(data))


def test_a_clause_id_used_twice_is_rejected() -> None:
    data = truce_data()
    data["clauses"].append(data["clauses"][0])
    assert any("used twice" in e for e in invalid(data))


def test_suspension_cuts_the_window_in_force() -> None:
    data = truce_data()
    data["suspensions"] = [
        {"from": "2025-10-16T00:00:00+05:00", "until": "2025-10-16T06:00:00+05:00", "reason": "x"}
    ]
    (compiled,) = compile_agreements([document_from_data(data)])
    index = AgreementIndex([compiled])
    inside = datetime.fromisoformat("2025-10-16T03:00:00+05:00").timestamp()
    after = datetime.fromisoformat("2025-10-16T07:00:00+05:00").timestamp()
    assert index.in_force_at(inside) == ()
    assert index.in_force_at(after) == (compiled,)


def test_inheriting_clauses_from_a_missing_agreement_is_an_error() -> None:
    extension = builtin_documents()[1]
    with pytest.raises(AgreementCompileError, match="not loaded"):
        compile_agreements([extension])


def test_the_exported_json_schema_in_docs_is_current() -> None:
    exported = json.loads((DOCS / "agreement.schema.json").read_text(encoding="utf-8"))
    assert exported == agreement_json_schema()


def test_profile_yaml_files_validate_against_the_json_schema_shape() -> None:
    schema = agreement_json_schema()
    for agreement_id in BUILTIN_IDS:
        path = DOCS.parent / "src/truceline/agreements/profile" / f"{agreement_id}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= set(schema["properties"]), agreement_id


def test_the_docs_page_names_every_prohibited_act_and_finding() -> None:
    page = (DOCS / "agreements.md").read_text(encoding="utf-8")
    schema = agreement_json_schema()
    acts = schema["$defs"]["Clause"]["properties"]["prohibits"]["items"]["enum"]
    for name in [
        *acts,
        "violation",
        "no_violation",
        "spirit_concern",
        "outside_scope",
        "indeterminate",
    ]:
        assert f"`{name}`" in page or name in page, name


def test_a_response_window_must_cite_a_clause_of_the_agreement() -> None:
    doha = next(d for d in builtin_documents() if d.id == "doha-2025-10-19")
    data = doha.model_dump(mode="json", by_alias=True)
    data["request_response_windows"] = [{"clause": "no-such-clause", "hours": 24, "basis": "x"}]
    with pytest.raises(ValueError, match=r"request_response_windows\[0\]\.clause"):
        AgreementDocument.model_validate(data)


def test_the_builtin_doha_terms_cite_their_clause_for_every_response_window() -> None:
    doha = next(d for d in builtin_documents() if d.id == "doha-2025-10-19")
    clauses = {c.id for c in doha.clauses}
    assert doha.request_response_windows
    assert all(w.clause in clauses and w.basis for w in doha.request_response_windows)
