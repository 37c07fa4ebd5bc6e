"""The append-only, signed audit log (RFC 6962-style Merkle tree).

Every state change anywhere in the system calls ``audit.log.append_entry`` in
the same transaction as the change itself, so a change and its record commit
or fail together.
"""
