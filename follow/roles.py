"""What the "Programme office" role may do with following by email (the role: ``groups.roles``).

See how many confirmed subscriptions follow each group ("Followers per group"), never an
address: subscriptions themselves are for superusers only (``follow.admin``).
"""

PROGRAMME_OFFICE_FOLLOW_PERMISSIONS = [("follow", "view_followedgroup")]
