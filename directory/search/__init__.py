"""Site-wide search: groups, meetings, published papers, published decisions, actions,
mailboxes, the escalation guidance and its worked examples. ``query`` says what is searched
and in which words, ``backends`` runs it (PostgreSQL full-text search, or a portable scoring
on SQLite), ``dates`` reads a date or month, ``meetings`` finds a named group's meetings,
``excerpts`` marks the words, ``view`` is the page."""
