"""The joint threat definition: armed-group registry, each party's designations, the joint list.

``definitions`` is the port used by adjudication; ``resolution`` resolves any
alias of a group; ``services`` record positions, evidence and alignment steps;
``replay`` re-runs adjudication under a candidate list.
"""
