"""The status timeline: "Not stated in the source", corrections of the past, withdrawals.

The data step moves an existing database the way a fresh seed now reads: the five groups
whose status the source's text does not give become "not stated", but only while their
status is still the seed's old guess (never changed in the admin); the source notes that
explained the guesses go. (Ofgem's note no longer names its status: 0007 already rewrote
it to the seed's "attendance" note, so nothing of it is left to change here.)
"""

from django.db import migrations, models

STATUS_CHOICES = [
    ("mobilised", "Mobilised"),
    ("mobilising", "Mobilisation in progress"),
    ("future", "To be mobilised in future"),
    ("may_be_mobilised", "May be mobilised"),
    ("ad_hoc", "Available for any ad hoc meetings"),
    ("replaced", "Replaced"),
    ("not_stated", "Not stated in the source"),
]

# The seed's old guesses: slug -> the status it gave.
GUESSED = {
    "ofgem": "mobilised",
    "engagement-and-comms-group": "may_be_mobilised",
    "commercial-impacts-group": "may_be_mobilised",
    "lqtsg": "may_be_mobilised",
    "saqtsg": "may_be_mobilised",
}
OBSOLETE_NOTES = [
    "engagement-and-comms-group-status",
    "commercial-impacts-group-status",
    "lqtsg-status",
    "saqtsg-status",
]


def forwards(apps, schema_editor):
    GovernanceGroup = apps.get_model("groups", "GovernanceGroup")
    SourceNote = apps.get_model("groups", "SourceNote")
    for slug, guess in GUESSED.items():
        GovernanceGroup.objects.filter(
            slug=slug, status=guess, status_note="", status_changes__isnull=True
        ).update(status="not_stated")
    SourceNote.objects.filter(slug__in=OBSOLETE_NOTES, kind="inferred").delete()


def backwards(apps, schema_editor):
    GovernanceGroup = apps.get_model("groups", "GovernanceGroup")
    for slug, guess in GUESSED.items():
        GovernanceGroup.objects.filter(
            slug=slug, status="not_stated", status_changes__isnull=True
        ).update(status=guess)
    # A status set to "not stated" in the admin has no older equivalent.
    GovernanceGroup.objects.filter(status="not_stated").update(status="may_be_mobilised")


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0007_provenance_fields"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="governancegroup", name="group_status_valid"),
        migrations.AlterField(
            model_name="governancegroup",
            name="status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="from_status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="statuschange",
            name="to_status",
            field=models.CharField(choices=STATUS_CHOICES, max_length=20),
        ),
        migrations.AddConstraint(
            model_name="governancegroup",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=[value for value, _ in STATUS_CHOICES]),
                name="group_status_valid",
            ),
        ),
        migrations.AddField(
            model_name="statuschange",
            name="correction_reason",
            field=models.CharField(
                blank=True,
                help_text="Set when a superuser corrected the record of the past: why.",
                max_length=300,
            ),
        ),
        migrations.AlterField(
            model_name="changeentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("status_changed", "Status changed"),
                    ("status_withdrawn", "Announced status change withdrawn"),
                    ("status_corrected", "Status record corrected"),
                    ("group_added", "Group added"),
                    ("group_replaced", "Group replaced"),
                    ("mailbox_changed", "Mailbox changed"),
                    ("schedule_changed", "Schedule changed"),
                    ("meeting_cancelled", "Meeting cancelled"),
                    ("cancellation_withdrawn", "Cancellation withdrawn"),
                    ("meeting_moved", "Meeting moved"),
                    ("move_changed", "Moved meeting changed"),
                    ("move_withdrawn", "Move withdrawn"),
                    ("one_off_added", "One-off meeting added"),
                    ("one_off_changed", "One-off meeting changed"),
                    ("one_off_removed", "One-off meeting removed"),
                    ("document_added", "Document added"),
                    ("document_changed", "Document changed"),
                    ("document_removed", "Document removed"),
                    ("decision_published", "Decision published"),
                    ("decision_changed", "Decision changed"),
                    ("decision_withdrawn", "Decision withdrawn"),
                    ("decision_superseded", "Decision superseded"),
                    ("action_added", "Action added"),
                    ("action_changed", "Action changed"),
                    ("action_closed", "Action closed"),
                ],
                max_length=30,
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
