"""What the triage pages say: labels, the linker's reasons and the services' refusals.

The linker's reasons (``incidents.matching``) and the refusals of the linking
and curation services (``LinkingError``, ``CurationError``) are English
sentences with values in them, written for the audit trail, the CLI and the
API. An analyst reads the page in Pashto, Dari or Urdu. A refusal is told
again from a catalogue message chosen by its ``code``, with the values of its
``params`` (numbers in the reader's digits). A linker's reason is stored text,
so it is recognised by a pattern. A code or sentence the catalogue does not
know is shown as it is: a reason or a refusal is never hidden. All strings are English source strings marked with ``N_`` and
translated at render time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from truceline.errors import CodedError
from truceline.events.taxonomy import acled_label as event_type_label
from truceline.http.i18n import N_, UIContext

#: Filters of the queue: which reports need an analyst (see ``triage_queries``).
QUEUE_FILTERS: dict[str, str] = {
    "attention": N_("Needing attention"),
    "unlinked": N_("Not linked"),
    "low_score": N_("Linked automatically, low score"),
    "imported": N_("Imported, not yet reviewed"),
    "all": N_("All reports (without imported history)"),
    "history": N_("Imported history"),
}

SOURCE_TYPE_LABELS: dict[str, str] = {
    "party_liaison": N_("Party liaison"),
    "field_monitor": N_("Field monitor"),
    "community_reporter": N_("Community reporter"),
    "media": N_("Media"),
    "dataset": N_("Dataset"),
    "other": N_("Other"),
}

#: How a link was made (``IncidentReportLink.method``).
LINK_METHOD_LABELS: dict[str, str] = {
    "auto": N_("linked automatically"),
    "confirmed": N_("confirmed by an analyst"),
    "new": N_("new incident opened at intake"),
    "merge": N_("moved by a merge"),
    "split": N_("moved by a split"),
    "undo": N_("moved back by an undo"),
    "correction": N_("carried over from the corrected version"),
    "import": N_("imported"),
}

#: What the linker would do with a candidate (``Match.decision``).
DECISION_LABELS: dict[str, str] = {
    "auto_link": N_("high enough to link automatically"),
    "propose": N_("proposed to an analyst"),
    "none": N_("too low to propose"),
}

OPERATION_LABELS: dict[str, str] = {"merge": N_("Merge"), "split": N_("Split"), "undo": N_("Undo")}

#: The confirmation shown after a successful action (the ``done`` of the redirect).
DONE_MESSAGES: dict[str, str] = {
    "confirmed": N_("The link of the report to incident %(code)s is confirmed."),
    "linked": N_("The report is now linked to incident %(code)s."),
    "opened": N_("A new incident %(code)s was opened for the report."),
    "merged": N_(
        "The incidents were merged (operation %(op)s): their reports are now in %(code)s."
    ),
    "split": N_("The chosen reports were moved to the new incident %(code)s (operation %(op)s)."),
    "undone": N_("Operation %(op)s was undone (operation %(undo)s)."),
    "fact_accepted": N_("The proposed fact is accepted; the decision is kept as a label."),
    "fact_corrected": N_(
        "The correction is recorded and kept as a label; the report is unchanged."
    ),
}

#: Refusals the page itself makes before asking a service.
CHOOSE_INCIDENT = N_("Choose an incident.")
NO_SUCH_CODE = N_("No incident has the code %(code)s.")
CHOOSE_TWO = N_("Choose the incident to merge away and the incident that remains.")
CHOOSE_REPORTS = N_("Choose the reports to move to a new incident.")
CHOOSE_OPERATION = N_("Choose an operation to undo.")
SUPERSEDED = N_("This version of the report was corrected: link the newest version instead.")
ACCESS_DENIED = N_("Your role may not make this change.")
REFUSED = N_("The change was refused.")


@dataclass(frozen=True)
class Phrase:
    """A sentence to show: a catalogue message and its values, or the original as it was."""

    message: str
    words: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    numbers: dict[str, tuple[float, int]] = field(default_factory=dict)
    original: str = ""
    known: bool = True
    weight: float | None = None

    def text(self, ui: UIContext) -> str:
        """The sentence in the reader's language (English if a translation or a value is amiss)."""
        if not self.known:
            return self.original
        values = dict(self.words) | {k: ui.gettext(v) for k, v in self.labels.items()}
        values |= {k: ui.number(v, digits) for k, (v, digits) in self.numbers.items()}
        for template in (ui.gettext(self.message), self.message):
            try:
                return template % values
            except (KeyError, ValueError, TypeError):
                continue
        return self.message

    def signed_weight(self, ui: UIContext) -> str:
        """The signal's weight of evidence, e.g. ``+1.4`` (empty when not compared)."""
        if self.weight is None:
            return ""
        return ("+" if self.weight >= 0 else "−") + ui.number(abs(self.weight), 1)


Pattern = tuple[re.Pattern[str], str, dict[str, int]]


def _p(regex: str, message: str, **digits: int) -> Pattern:
    return re.compile(regex), message, digits


#: The linker's reasons (``incidents.matching``); ``digits`` marks numeric values.
REASONS: list[Pattern] = [
    _p(r"(?P<km>[\d.]+) km apart \(expected error (?P<err>[\d.]+) km\)$",
       N_("%(km)s km apart (places of this precision are off by about %(err)s km)"), km=1, err=0),
    _p(r"place not compared", N_("Places not compared: one has no coordinates")),
    _p(r"(?P<h>[\d.]+) h apart \(expected error (?P<err>[\d.]+) h\)$",
       N_("%(h)s hours apart (times of this precision are off by about %(err)s hours)"), h=1, err=0),
    _p(r"time not compared", N_("Times not compared: one has no time")),
    _p(r"same event type (?P<type>\S+)$", N_("Same type of event: %(type)s")),
    _p(r"related event types (?P<ta>\S+) and (?P<tb>\S+)$", N_("Related types of event: %(ta)s and %(tb)s")),
    _p(r"different event types (?P<ta>\S+) and (?P<tb>\S+)$", N_("Different types of event: %(ta)s and %(tb)s")),
    _p(r"event type not compared", N_("Types of event not compared: one is unknown")),
    _p(r"same claimed perpetrator (?P<actor>\S+)$", N_("Same alleged perpetrator: %(actor)s")),
    _p(r"different claimed perpetrators (?P<a>\S+) and (?P<b>\S+)$",
       N_("Different alleged perpetrators: %(a)s and %(b)s")),
    _p(r"perpetrator not compared", N_("Perpetrators not compared: one is unknown")),
    _p(r"text similarity (?P<sim>[\d.]+)$", N_("Texts alike: %(sim)s (0 = nothing in common, 1 = same words)"), sim=2),
    _p(r"text not compared", N_("Texts not compared: none in the same script")),
]  # fmt: skip

#: Refusals of ``link_report``/``confirm_link`` and of ``merge_incidents``, ``split_incident``,
#: ``undo_operation``, by their ``code``; the values (``code``, ``op``) come from the
#: exception's ``params``, never from its sentence.
REFUSAL_MESSAGES: dict[str, str] = {
    "merge_into_itself": N_("An incident cannot be merged into itself: choose two different incidents."),
    "incident_missing": N_("That incident does not exist."),
    "incident_already_merged": N_("Incident %(code)s has already been merged into another incident."),
    "incident_merged_link_there": N_("Incident %(code)s was merged into another incident: link the report to that one."),
    "incident_merged": N_("Incident %(code)s was merged into another incident."),
    "reports_not_linked": N_("The chosen reports are no longer linked to incident %(code)s: reload the page."),
    "split_some_not_all": N_("Choose some, but not all, of the incident's reports to move to a new incident."),
    "operation_missing": N_("That operation does not exist."),
    "undo_of_undo": N_("An undo cannot itself be undone: merge or split again instead."),
    "operation_already_undone": N_("This operation has already been undone."),
    "merge_changed": N_("The incidents have changed since this merge, so it cannot be undone."),
    "incident_merged_since_by_operation": N_("Incident %(code)s has since been merged into another incident by operation %(op)s: undo operation %(op)s first."),
    "incident_merged_since": N_("Incident %(code)s has since been merged into another incident: undo that merge first."),
    "reports_moved_since_by_operation": N_("Reports of this operation were moved since by operation %(op)s: undo operation %(op)s first."),
    "reports_moved_since": N_("Reports of this operation have been moved since, so it cannot be undone."),
}  # fmt: skip

#: Values of a refusal's ``params`` that are numbers (shown in the reader's digits).
NUMBER_PARAMS = ("op",)

#: Values of the patterns that are event types, shown by their (translated) label.
TYPE_VALUES = ("type", "ta", "tb")
_WEIGHT = re.compile(r"^(?P<body>.*): (?P<weight>[+-]\d+(?:\.\d+)?)$")


def _phrase(sentence: str, patterns: list[Pattern], weight: float | None = None) -> Phrase:
    for regex, message, digits in patterns:
        found = regex.match(sentence)
        if found is None:
            continue
        values = {k: v for k, v in found.groupdict().items() if v is not None}
        numbers = {k: (float(values.pop(k)), d) for k, d in digits.items() if k in values}
        labels = {k: event_type_label(values.pop(k)) for k in TYPE_VALUES if k in values}
        return Phrase(message, values, labels, numbers, original=sentence, weight=weight)
    return Phrase("", original=sentence, known=False, weight=weight)


def reason_phrase(reason: str) -> Phrase:
    """One of the linker's reasons, e.g. ``same event type air_drone_strike: +1.4``."""
    weighed = _WEIGHT.match(reason)
    if weighed is None:
        return _phrase(reason, REASONS)
    return _phrase(weighed["body"], REASONS, float(weighed["weight"]))


def refusal_phrase(exc: CodedError) -> Phrase:
    """A service's refusal told by its code in a catalogue message (or as it was, when the
    code is not in the catalogue: a refusal is never hidden)."""
    message = REFUSAL_MESSAGES.get(exc.code)
    if message is None:
        return Phrase("", original=str(exc), known=False)
    words = {k: str(v) for k, v in exc.params.items() if k not in NUMBER_PARAMS}
    numbers = {k: (float(v), 0) for k, v in exc.params.items() if k in NUMBER_PARAMS}
    return Phrase(message, words, numbers=numbers, original=str(exc))


def page_phrase(message: str, **words: str) -> Phrase:
    """A refusal or confirmation the page words itself (``message`` is marked with ``N_``)."""
    return Phrase(message, dict(words))


def label(labels: dict[str, str], key: str | None) -> str:
    """The English label of a key (translated in the template); the key itself if unknown."""
    return labels.get(key or "", key or "")
