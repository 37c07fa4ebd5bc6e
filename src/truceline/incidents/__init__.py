"""Incidents and the reports they consolidate.

A report is one source's account, stored verbatim and never edited (a
correction is a new version). An incident is the mechanism's consolidated view
of one event; reports are attached to it through ``IncidentReportLink`` rows,
which are added and retired, never rewritten, so that every merge or split can
be undone.

Linking lives here too: ``matching`` (the score of a report against an incident,
with its reasons; pure), ``synthetic`` (seeded report streams with known truth
for tests and the benchmark), ``linking_search`` (candidates from the database
by an index of time-and-place boxes), ``services`` (the one linker:
candidates, automatic and manual links),
``curation`` (merge, split, undo, corroboration) and ``cli``.
"""
