"""Incidents and the reports they consolidate.

A report is one source's account, stored verbatim and never edited (a
correction is a new version). An incident is the mechanism's consolidated view
of one event; reports are attached to it through ``IncidentReportLink`` rows,
which are added and retired, never rewritten, so that every merge or split can
be undone.
"""
