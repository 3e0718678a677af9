"""What the "Programme office" role may do with meeting records (the role: ``groups.roles``).

Add and change documents, decisions, actions and deadline policies; delete documents, actions and
draft decisions. A published decision is withdrawn, never deleted
(``records.services.decision_may_delete``).
"""

RECORDS_MODELS = ("meetingrecord", "document", "decision", "action", "deadlinepolicy")

PROGRAMME_OFFICE_RECORDS_PERMISSIONS = [
    ("records", f"{verb}_{model}")
    for model in RECORDS_MODELS
    for verb in ("view", "add", "change", "delete")
]
