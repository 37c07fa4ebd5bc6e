"""Judging a party's responses to requests for action against the clause relied on (pure).

The requests context supplies the facts (``RequestOutcome``: how each request
about one group, addressed to one party, was answered and verified); this
module judges them, as ``rules`` judges incident facts:

- the group is not on the joint list, or the clause does not bind the party:
  ``outside_scope`` (recorded, not judged);
- repeated declines (two or more, an unanswered request past its deadline
  counting as one), or any "action taken" the monitors could not confirm:
  ``spirit_concern``; a ``violation`` instead where the clause covers support
  to groups (it binds the party through ``supported_groups``) and such
  failures repeat, since tolerating a designated group's activity after being
  told of it is the support the clause forbids (basis ``attributed``);
- every answered request confirmed by the monitors: ``no_violation``;
- otherwise ``indeterminate``, naming what is missing.

The explanation cites the requests by code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from truceline.agreements.domain import PARTY_NAMES, Basis, CompiledClause, FindingKind

RULES_VERSION = "request-rules/1"
REPEATED = 2


@dataclass(frozen=True)
class RequestOutcome:
    """One request's outcome, as facts for the adjudication."""

    code: str
    response_kind: str | None  # action_taken, declined, disputed; None: no response yet
    verification: str | None  # confirmed, not_confirmed, not_possible; None: not verified
    overdue: bool  # past its deadline with no response


@dataclass(frozen=True)
class RequestJudgement:
    finding: FindingKind
    violating_party: str | None
    basis: Basis
    clause: str
    explanation: str
    cited: tuple[str, ...]


def _codes(items: Sequence[RequestOutcome]) -> str:
    return ", ".join(item.code for item in items)


def judge_request_outcomes(
    *,
    group: str,
    party: str,
    designated: bool | None,
    clause: CompiledClause,
    agreement: str,
    outcomes: Sequence[RequestOutcome],
) -> RequestJudgement:
    """Judge ``party``'s responses to the requests about ``group`` relying on ``clause``."""
    name = PARTY_NAMES.get(party, party)
    cited = tuple(o.code for o in outcomes)

    def verdict(kind: FindingKind, text: str, *, basis: Basis = Basis.NONE) -> RequestJudgement:
        violating = party if kind in {FindingKind.VIOLATION, FindingKind.SPIRIT_CONCERN} else None
        return RequestJudgement(kind, violating, basis, clause.id, text, cited)

    where = f"under clause {clause.id} of {agreement}"
    if not outcomes:
        return verdict(FindingKind.INDETERMINATE, f"No request about {group} to {name} {where}.")
    if designated is not True:
        return verdict(
            FindingKind.OUTSIDE_SCOPE,
            f"{group} is not on the joint list, so {name}'s responses to requests "
            f"{_codes(outcomes)} are recorded but not judged {where}.",
        )
    if party not in clause.bound:
        return verdict(
            FindingKind.OUTSIDE_SCOPE,
            f"Clause {clause.id} of {agreement} does not bind {name}; requests "
            f"{_codes(outcomes)} relied on it.",
        )
    declines = [o for o in outcomes if o.response_kind == "declined" or o.overdue]
    unverified = [
        o
        for o in outcomes
        if o.response_kind == "action_taken" and o.verification in {"not_confirmed", "not_possible"}
    ]
    confirmed = [o for o in outcomes if o.verification == "confirmed"]
    failures = len(declines) + len(unverified)
    if len(declines) >= REPEATED or unverified:
        said = _failures_text(name, declines, unverified)
        if clause.binds(party, "supported_groups") and failures >= REPEATED:
            return verdict(
                FindingKind.VIOLATION,
                f"{said}. {group} is on the joint list and clause {clause.id} of {agreement} "
                f"binds {name} not to support such groups: repeated failure to act on what it "
                "was told is judged support by toleration.",
                basis=Basis.ATTRIBUTED,
            )
        return verdict(
            FindingKind.SPIRIT_CONCERN,
            f"{said}. {group} is on the joint list; this is against the purpose of clause "
            f"{clause.id} of {agreement}, though not shown to breach it.",
        )
    answered = [o for o in outcomes if o.response_kind is not None]
    if answered and len(confirmed) == len(answered) and not declines:
        return verdict(
            FindingKind.NO_VIOLATION,
            f"{name} reported action on requests {_codes(confirmed)} about {group}, and the "
            f"monitors confirmed it {where}.",
        )
    return verdict(
        FindingKind.INDETERMINATE,
        f"Requests {_codes(outcomes)} about {group} to {name} {where}: missing a verified "
        "response to each, or a repeated decline, to judge.",
    )


def _failures_text(
    name: str, declines: Sequence[RequestOutcome], unverified: Sequence[RequestOutcome]
) -> str:
    parts = []
    if declines:
        parts.append(f"{name} declined or let lapse requests {_codes(declines)}")
    if unverified:
        parts.append(
            f"the action {name} reported on requests {_codes(unverified)} could not be verified"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
