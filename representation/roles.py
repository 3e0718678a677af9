"""What the "Programme office" role may do with representation (the role: ``groups.roles``).

Add and change constituencies, seats (their number), representatives and memberships (a term
is ended by its "to" date, never deleted), and import the spreadsheet. Only a superuser
deletes, or erases a name on request.
"""

PROGRAMME_OFFICE_REPRESENTATION_PERMISSIONS = [
    *(
        ("representation", f"{verb}_{model}")
        for model in ("constituency", "seat", "person", "membership")
        for verb in ("view", "add", "change")
    ),
    ("representation", "import_representatives"),
]
