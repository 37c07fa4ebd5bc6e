"""Community context: border districts, local committees, community reporters, short messages.

- ``districts`` / ``registry``: the border district registry (computed from geography);
- ``committees``: committees, members, meetings and jirgas, local resolution, escalation;
- ``reporters``: registration and the reliability history;
- ``grammar`` / ``sms`` / ``text`` / ``replies``: the short-message grammar, its parser
  (with normalising and typo matching in ``text``), the replies;
- ``channel`` / ``feedback``: the message channel through intake, notices, held messages;
- ``api`` / ``cli``: the gateway webhook and the HTTP and command-line interfaces.

See ``docs/community.md``.
"""
