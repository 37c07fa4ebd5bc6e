"""Sentences explaining each step of a request, stored with the step (pure).

The history of a request reads as a record a mediator can quote: who did what,
on which basis, and what follows (the deadline, the next step). Each sentence
is built as catalogue messages with named placeholders (``agreements.messages``),
so that the history is read in the reader's language; the English rendering is
stored beside them as the record (``RequestEvent.explanation``). What a person
typed (a note, a reply) and codes (group, clause, agreement) are values, never
translated.
"""

from __future__ import annotations

from datetime import datetime

from truceline.action_requests.labels import DISPUTES, OUTCOMES_DONE, RETURNS
from truceline.agreements.messages import N_, Arg, Lower, Msg, Parts, msg

PARTY_NAMES = {"AF": N_("Afghanistan"), "PK": N_("Pakistan")}
THE_MECHANISM = N_("the mechanism")
ACTION_VERBS = {
    "arrest": N_("to arrest"),
    "expel": N_("to expel"),
    "close": N_("to close"),
    "disrupt": N_("to disrupt"),
    "investigate": N_("to investigate"),
    "share_information": N_("to share information"),
}


def party_name(code: str | None) -> Arg:
    name = PARTY_NAMES.get(code or "")
    if name is not None:
        return Msg(name)
    return code or Msg(THE_MECHANISM)


def when(instant: datetime | None) -> Arg:
    return Msg(N_("no deadline")) if instant is None else instant.strftime("%Y-%m-%d %H:%M UTC")


def _with_note(plain: str, noted: str, note: str) -> Parts:
    return (msg(noted, note=note),) if note else (Msg(plain),)


def submitted(
    requesting: str,
    addressed: str,
    action: str,
    group: str,
    clause: str,
    agreement: str,
    deadline: datetime | None,
    basis: str,
) -> Parts:
    due = (
        msg(N_("a response is due by %(deadline)s (%(basis)s)"), deadline=when(deadline),
            basis=basis.strip())
        if deadline
        else Msg(N_("the agreement sets no response window, so there is no deadline"))
    )  # fmt: skip
    verb = ACTION_VERBS.get(action)
    sentence = N_(
        "%(requesting)s asks %(addressed)s %(action)s against %(group)s, relying on clause "
        "%(clause)s of %(agreement)s; %(due)s. The mediator screens it before it is delivered."
    )
    return (
        msg(sentence, requesting=party_name(requesting), addressed=party_name(addressed),
            action=Msg(verb) if verb else "to " + action.replace("_", " "), group=group, clause=clause,
            agreement=agreement, due=due),
    )  # fmt: skip


def admitted(note: str) -> Parts:
    return _with_note(
        N_("The mediator found the request admissible."),
        N_("The mediator found the request admissible: %(note)s"),
        note,
    )


def returned(reason: str, text: str) -> Parts:
    sentence = N_(
        "The mediator returned the request to the requesting party (%(reason)s): %(text)s"
    )
    label = RETURNS.get(reason)
    return (msg(sentence, reason=Lower(Msg(label)) if label else reason, text=text),)


def delivered(addressed: str, deadline: datetime | None) -> Parts:
    sentence = N_("Delivered to %(party)s through the mechanism; response due by %(deadline)s.")
    return (msg(sentence, party=party_name(addressed), deadline=when(deadline)),)


def acknowledged(addressed: str) -> Parts:
    return (msg(N_("%(party)s acknowledged receipt."), party=party_name(addressed)),)


RESPONDED = {
    ("action_taken", None): N_("%(party)s reports action taken: %(text)s"),
    ("action_taken", True): N_("%(party)s reports action taken within the deadline: %(text)s"),
    ("action_taken", False): N_("%(party)s reports action taken after the deadline: %(text)s"),
    ("declined", None): N_("%(party)s declines to act: %(text)s"),
    ("declined", True): N_("%(party)s declines to act within the deadline: %(text)s"),
    ("declined", False): N_("%(party)s declines to act after the deadline: %(text)s"),
    ("disputed", None): N_("%(party)s disputes the request (%(reason)s): %(text)s"),
    ("disputed", True): N_(
        "%(party)s disputes the request (%(reason)s) within the deadline: %(text)s"
    ),
    ("disputed", False): N_(
        "%(party)s disputes the request (%(reason)s) after the deadline: %(text)s"
    ),
}


def responded(
    addressed: str, kind: str, text: str, dispute: str | None, in_time: bool | None
) -> Parts:
    label = DISPUTES.get(dispute or "")
    reason: Arg = Lower(Msg(label)) if label else (dispute or "").replace("_", " ")
    return (msg(RESPONDED[kind, in_time], party=party_name(addressed), reason=reason, text=text),)


def verified(outcome: str, text: str) -> Parts:
    return (msg(N_("%(outcome)s: %(text)s"), outcome=Msg(OUTCOMES_DONE[outcome]), text=text),)


def closed(note: str) -> Parts:
    return _with_note(
        N_("The mediator closed the request."),
        N_("The mediator closed the request: %(note)s"),
        note,
    )
