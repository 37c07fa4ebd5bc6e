"""Verification: from an allegation to a determined, adjudicated finding.

``domain`` is the pure core (the state machine, team composition rules,
deadlines, replies and views); services, API and CLI build on it.
"""
