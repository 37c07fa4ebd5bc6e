"""Reading agreement documents from YAML or JSON, and the built-in profile's documents.

``parse_document`` turns text into a validated ``AgreementDocument`` or raises
``AgreementInvalid`` with one line per problem, each naming the field path
(``clauses[1].binds[0].party``). The built-in Afghanistan–Pakistan agreements
live in ``profile/`` beside this module, one YAML file each.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from truceline.agreements.domain import AgreementIndex, compile_agreements
from truceline.agreements.schema import AgreementDocument
from truceline.errors import CodedError

PROFILE_PACKAGE = "truceline.agreements"
PROFILE_FOLDER = "profile"
BUILTIN_IDS = (
    "truce-2025-10-15",
    "truce-extension-2025-10-17",
    "doha-2025-10-19",
    "istanbul-2025-10-30",
)


class AgreementInvalid(CodedError, ValueError):
    """An agreement document that fails validation; ``errors`` lists each problem."""

    default_code = "agreement_invalid"

    def __init__(self, source: str, errors: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(errors))
        self.source = source
        self.errors = errors


def parse_document(text: str, *, source: str = "<document>") -> AgreementDocument:
    """Validate one agreement document given as YAML (or JSON, which is YAML too)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise AgreementInvalid(source, [f"not valid YAML/JSON: {error}"]) from None
    return document_from_data(data, source=source)


def document_from_data(data: Any, *, source: str = "<document>") -> AgreementDocument:
    if not isinstance(data, dict):
        raise AgreementInvalid(source, ["expected a mapping (an agreement document)"])
    try:
        return AgreementDocument.model_validate(data)
    except ValidationError as error:
        raise AgreementInvalid(source, _describe(error)) from None


def _describe(error: ValidationError) -> list[str]:
    lines = []
    for item in error.errors():
        path = "".join(
            f"[{part}]" if isinstance(part, int) else f".{part}" for part in item["loc"]
        ).lstrip(".")
        lines.append(f"{path or '(document)'}: {item['msg']}")
    return lines


def load_document_file(path: Path) -> AgreementDocument:
    return parse_document(path.read_text(encoding="utf-8"), source=str(path))


@lru_cache(maxsize=1)
def builtin_documents() -> tuple[AgreementDocument, ...]:
    """The four agreements of the built-in Afghanistan–Pakistan profile, in order."""
    folder = resources.files(PROFILE_PACKAGE).joinpath(PROFILE_FOLDER)
    return tuple(
        parse_document(
            folder.joinpath(f"{agreement_id}.yaml").read_text("utf-8"), source=agreement_id
        )
        for agreement_id in BUILTIN_IDS
    )


def build_index(documents: Iterable[AgreementDocument]) -> AgreementIndex:
    """Compile documents into the time index used by adjudication."""
    return AgreementIndex(compile_agreements(documents))


def builtin_index() -> AgreementIndex:
    return build_index(builtin_documents())
