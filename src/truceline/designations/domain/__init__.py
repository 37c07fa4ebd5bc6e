"""Pure core of the designations context: no I/O, only dataclasses and functions."""
