"""Each workstream's mailbox its own inference (the source says each workstream owns a
mailbox, never which), so every surface showing it can mark it; the Qualification note
reworded so that it does not contradict the source. Only notes still as seeded change."""

from django.db import migrations

OLD_SLUG = "workstream-mailboxes"
OLD_ASSUMPTION = (
    "the Design, Testing, Migration and Code mailboxes belong to the Design, Test, Migration "
    "and Code workstreams, matched by name"
)
NEW_NOTES = {
    "design-mailbox": {
        "workstream": "design",
        "kind": "inferred",
        "fact": "Design workstream mailbox",
        "field": "mailbox",
        "assumption": "the Design workstream's mailbox is "
        "Design@mhhsprogramme.co.uk, matched by name",
        "primary_source": "Contact Us",
        "primary_statement": "Design@mhhsprogramme.co.uk for queries on Design "
        "documents, comments or meetings.",
        "other_source": "",
        "other_statement": "",
        "explanation": "The source document says each workstream owns a mailbox "
        'but not which. The Design mailbox, "for queries on Design '
        'documents, comments or meetings", is matched to the '
        "Design workstream by name.",
    },
    "test-mailbox": {
        "workstream": "test",
        "kind": "inferred",
        "fact": "Test workstream mailbox",
        "field": "mailbox",
        "assumption": "the Test workstream's mailbox is "
        "Testing@mhhsprogramme.co.uk, matched by name",
        "primary_source": "Contact Us",
        "primary_statement": "Testing@mhhsprogramme.co.uk for queries on Testing "
        "documents, comments or meetings.",
        "other_source": "",
        "other_statement": "",
        "explanation": "The source document says each workstream owns a mailbox but "
        "not which. The Testing mailbox is matched to the Test "
        "workstream by name: it is the one a Testing query goes to "
        "in the worked examples.",
    },
    "migration-mailbox": {
        "workstream": "migration",
        "kind": "inferred",
        "fact": "Migration workstream mailbox",
        "field": "mailbox",
        "assumption": "the Migration workstream's mailbox is "
        "Migration@mhhsprogramme.co.uk, matched by name",
        "primary_source": "Contact Us",
        "primary_statement": "Migration@mhhsprogramme.co.uk for any queries on Migration Design.",
        "other_source": "",
        "other_statement": "",
        "explanation": "The source document says each workstream owns a "
        'mailbox but not which. The Migration mailbox, "for any '
        'queries on Migration Design", is matched to the '
        "Migration workstream by name.",
    },
    "code-mailbox": {
        "workstream": "code",
        "kind": "inferred",
        "fact": "Code workstream mailbox",
        "field": "mailbox",
        "assumption": "the Code workstream's mailbox is Code@mhhsprogramme.co.uk, matched by name",
        "primary_source": "Contact Us",
        "primary_statement": "Code@mhhsprogramme.co.uk for queries on the Code "
        "workstream or code-related documents or meetings.",
        "other_source": "",
        "other_statement": "",
        "explanation": "The source document says each workstream owns a mailbox but "
        "not which. The Code mailbox is matched to the Code "
        'workstream by name: it is "for queries on the Code '
        'workstream".',
    },
}
QUALIFICATION = (
    "qualification-mailbox",
    {
        "assumption": "the Qualification workstream has no mailbox of its own, so its queries "
        "go to the PPC team",
        "explanation": "The Contact Us list has no Qualification mailbox, so the Qualification "
        "workstream is shown with none and its queries are routed to the PPC team, as the source "
        "document advises when you do not know where to direct a query.",
    },
    {
        "assumption": (
            "the Qualification workstream's queries go to the PPC team until the programme "
            "office names its mailbox"
        ),
        "explanation": (
            "The source document says each workstream owns a mailbox and that an up-to-date "
            "list of workstream email addresses is on the Website and Collaboration Base, but"
            " the Contact Us extract lists no Qualification mailbox. Until the programme "
            "office names it, the directory sends the Qualification workstream's queries to "
            "the PPC team, as the source document advises when you do not know where to "
            "direct a query."
        ),
    },
)


def forwards(apps, schema_editor):
    SourceNote = apps.get_model("groups", "SourceNote")
    Workstream = apps.get_model("groups", "Workstream")
    old = SourceNote.objects.filter(slug=OLD_SLUG, assumption=OLD_ASSUMPTION).first()
    if old is None:  # not seeded, or edited since: leave the notes as they are
        return
    workstreams = {w.slug: w for w in Workstream.objects.all()}
    for slug, fields in NEW_NOTES.items():
        workstream = workstreams.get(fields["workstream"])
        if workstream is None or SourceNote.objects.filter(slug=slug).exists():
            continue
        SourceNote.objects.create(slug=slug, **{**fields, "workstream": workstream})
    old.delete()
    slug, was, now = QUALIFICATION
    SourceNote.objects.filter(slug=slug, **was).update(**now)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0008_status_timeline"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
