"""Whether the directory can serve: its database answers with its own data."""

from groups.models import GovernanceGroup


def database_check() -> None:
    """Read a real table of the app. Raises ``DatabaseError`` when the database is
    missing, unreadable, corrupt or down (a bare ``SELECT 1`` touches no table)."""
    GovernanceGroup.objects.exists()
