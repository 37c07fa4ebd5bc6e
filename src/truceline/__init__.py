"""truceline: software for a ceasefire accountability mechanism.

The package is split into bounded contexts (``geo``, ``incidents``, ``agreements``,
``designations``, ``intake``, ``verification``, ``community``, ``warning``,
``reports``, ``audit``, ``accounts``, ``web``). Each owns its models, services and
routes; ``events`` holds the shared, pure vocabulary (taxonomy) they all speak.
"""

__version__ = "0.1.0"
