"""What the "Programme office" role may do with meetings (the role: ``groups.roles``).

Manage single meetings (cancellations, moves, one-off meetings); see the series; confirm a
series' first date and set its known-from date, the corrections of what the directory
inferred of its dates.
"""

PROGRAMME_OFFICE_MEETINGS_PERMISSIONS = [
    ("meetings", "view_meetingseries"),
    ("meetings", "confirm_series_dates"),
    ("meetings", "view_cancellation"),
    ("meetings", "add_cancellation"),
    ("meetings", "change_cancellation"),
    ("meetings", "delete_cancellation"),
    ("meetings", "view_move"),
    ("meetings", "add_move"),
    ("meetings", "change_move"),
    ("meetings", "delete_move"),
    ("meetings", "view_oneoffmeeting"),
    ("meetings", "add_oneoffmeeting"),
    ("meetings", "change_oneoffmeeting"),
    ("meetings", "delete_oneoffmeeting"),
]
