"""The shared event vocabulary (pure domain core, no I/O).

Every context speaks these terms: event types, actors, targets, casualties,
precision codes and source grading. They follow ACLED and UCDP so that data
moves in and out without loss (``docs/data-model.md`` gives the mapping).
"""
