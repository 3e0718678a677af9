"""Site-wide search: groups, mailboxes, the escalation guidance, its worked examples and
published decisions. ``query`` says what is searched and in which words, ``backends`` runs
it (PostgreSQL full-text search, or a portable scoring on SQLite), ``view`` is the page."""
