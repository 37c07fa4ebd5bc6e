"""Use cases of the designations context: each takes a Session and audits every change.

``registry`` (groups, aliases, relations, listings), ``positions`` (designations
and the joint list), ``evidence`` (criteria and evidence), ``alignment`` (the
process toward a joint list).
"""
