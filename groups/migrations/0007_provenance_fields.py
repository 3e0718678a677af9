"""Provenance on every fact: each source note names its field (and an inference what it
assumes); the diagram's "Level 4 Sub groups" band and the tables' own names are stored; the
source's typing errors are kept as written. An existing database is brought to the seed's
new values wherever it still holds the seed's old ones (an admin's edit stays)."""

import django.db.models.deletion
from django.db import migrations, models

# slug -> (field, assumption, workstream slug), as the seed gives them.
NOTES = {
    "psg-schedule-end-time": ("schedules", "", None),
    "psg-workstream-name": ("workstream", "", None),
    "psg-webinar-monthly-table-only": ("schedules", "", None),
    "dcwg-schedule-time": ("schedules", "", None),
    "qwg-schedule-end-time": ("schedules", "", None),
    "cdwg-schedule-end-time": ("schedules", "", None),
    "cdwg-name": ("name", "", None),
    "sitag-name": ("name", "", None),
    "sitwg-name": ("name", "", None),
    "mcag-name": ("name", "", None),
    "glig-name": ("name", "", None),
    "sdwg-attendance": ("attendance", "", None),
    "bprwg-tdwg-overview-only": ("name", "", None),
    "psg-purpose-typo": ("purpose", "", None),
    "glig-anchor-date": (
        "schedules",
        "GLIG's fortnightly Fridays are counted from Friday 2 January 2026",
        None,
    ),
    "programme-mailbox": (
        "mailbox",
        "the Programme workstream's mailbox is PMO@mhhsprogramme.co.uk",
        "programme",
    ),
    "qualification-mailbox": (
        "mailbox",
        "the Qualification workstream has no mailbox of its own, so its queries go to the PPC team",
        "qualification",
    ),
    "ofgem-facts": ("attendance", "Ofgem's meetings are closed, as the Sponsor's", None),
    "ofgem-decision-making": ("decision_making", "Ofgem makes decisions, as the Sponsor", None),
    "tmag-facts": ("level", "TMAG was at level 3, as an advisory group", None),
    "tmag-attendance": (
        "attendance",
        "TMAG's attendance was closed, to nominated constituency representatives, like the groups that replaced it",
        None,
    ),
    "tmag-decision-making": (
        "decision_making",
        "TMAG made decisions, like the advisory groups that replaced it",
        None,
    ),
    "glig-decision-making": (
        "decision_making",
        "GLIG makes no governance decisions, as a non-governance delivery group",
        None,
    ),
    "drg-decision-making": (
        "decision_making",
        "DRG makes no governance decisions, as a non-governance forum",
        None,
    ),
    "engagement-and-comms-group-parent": (
        "parent",
        "the Engagement and Comms Group sits under PSG: no group it reports to is recorded",
        None,
    ),
    "commercial-impacts-group-parent": (
        "parent",
        "the Commercial Impacts Group sits under PSG: no group it reports to is recorded",
        None,
    ),
    "lqtsg-workstream": (
        "workstream",
        "LQTSG belongs to the Qualification workstream, from its name",
        None,
    ),
    "saqtsg-workstream": (
        "workstream",
        "SAQTSG belongs to the Qualification workstream, from its name",
        None,
    ),
    "psg-parent": ("parent", "PSG reports to Ofgem, the Sponsor", None),
    "ccag-parent": ("parent", "CCAG reports to PSG", None),
    "dag-parent": ("parent", "DAG reports to PSG", None),
    "sitag-parent": ("parent", "SITAG reports to PSG", None),
    "mcag-parent": ("parent", "MCAG reports to PSG", None),
    "qag-parent": ("parent", "QAG reports to PSG", None),
    "tmag-parent": ("parent", "TMAG reports to PSG", None),
    "cdwg-parent": ("parent", "CDWG reports to CCAG", None),
    "bprwg-tdwg-parent": ("parent", "BPRWG/TDWG reports to DAG", None),
    "sdwg-parent": ("parent", "SDWG reports to DAG", None),
    "drg-parent": ("parent", "DRG reports to DAG", None),
    "sitwg-parent": ("parent", "SITWG reports to SITAG", None),
    "mwg-parent": ("parent", "MWG reports to MCAG", None),
    "dcwg-parent": ("parent", "DCWG reports to MCAG", None),
    "torwg-parent": ("parent", "TORWG reports to MCAG", None),
    "qwg-parent": ("parent", "QWG reports to QAG", None),
    "lqtsg-parent": ("parent", "LQTSG reports to QWG", None),
    "saqtsg-parent": ("parent", "SAQTSG reports to QWG", None),
    "dag-status-wording": ("status", "", None),
    "bprwg-tdwg-status-wording": ("status", "", None),
    "sdwg-status-wording": ("status", "", None),
    "drg-status-wording": ("status", "", None),
    "drg-level": ("level", "", None),
    "glig-level": ("level", "", None),
    "ofgem-diagram-only": ("name", "", None),
    "tmag-diagram-only": ("name", "", None),
    "engagement-and-comms-group-diagram-only": ("name", "", None),
    "commercial-impacts-group-diagram-only": ("name", "", None),
    "lqtsg-diagram-only": ("name", "", None),
    "saqtsg-diagram-only": ("name", "", None),
    "glig-kind": ("kind", "", None),
    "glig-schedule-overview-only": ("schedules", "", None),
    "sitwg-ewg": ("purpose", "", None),
    "programme-workstream": ("workstream", "", None),
    "lqtsg-attendance": ("attendance", "LQTSG is open to all, like the level-4 groups", None),
    "lqtsg-decision-making": (
        "decision_making",
        "LQTSG makes no decisions, like the level-4 groups",
        None,
    ),
    "saqtsg-attendance": ("attendance", "SAQTSG is open to all, like the level-4 groups", None),
    "saqtsg-decision-making": (
        "decision_making",
        "SAQTSG makes no decisions, like the level-4 groups",
        None,
    ),
    "sdwg-decision-making": (
        "decision_making",
        "SDWG makes no decisions, like the other level-4 working groups",
        None,
    ),
    "bprwg-tdwg-decision-making": (
        "decision_making",
        "BPRWG/TDWG makes no decisions, like the level-4 working groups",
        None,
    ),
    "psg-webinar-day": (
        "schedules",
        "the PSG pre-meeting webinar's “Week 4” is the 4th Thursday of the month",
        None,
    ),
    "workstream-mailboxes": (
        "mailbox",
        "the Design, Testing, Migration and Code mailboxes belong to the Design, Test, Migration and Code workstreams, matched by name",
        None,
    ),
    "dag-held-slot": (
        "schedules",
        "DAG's 2nd-Wednesday slot is held for meetings called when needed",
        None,
    ),
    "dag-slot-timeframe": ("schedules", "", None),
    "series-known-from": (
        "schedules",
        "the regular meetings are listed from 1 April 2024, none before",
        None,
    ),
    "sitag-purpose-typo": ("purpose", "", None),
    "schedule-ordinal-typos": ("schedules", "", None),
    "general-queries-typo": ("", "", None),
}
# Notes the seed rewrote: slug -> (the seed's old values, its new ones).
REWRITTEN = {
    "ofgem-facts": (
        {
            "fact": "status, attendance and decision-making",
            "explanation": "The source document shows Ofgem only as the level-1 Sponsor. Its "
            "status (mobilised), closed attendance and decision-making are assumed from that "
            "role.",
        },
        {
            "fact": "attendance",
            "explanation": "The source document shows Ofgem only as the level-1 Sponsor. Its "
            "closed attendance is assumed from that role.",
        },
    ),
    "tmag-facts": (
        {"fact": "level, attendance and decision-making"},
        {
            "fact": "level",
            "explanation": "The source document names TMAG only in the note that SITAG, MCAG "
            "and QAG replaced it. As an advisory group it is placed at level 3 under PSG.",
        },
    ),
    "psg-purpose-typo": (
        {"primary_statement": "Owns the delivery of Programme plan and scope."},
        {
            "primary_source": "Overview for Level 2-4 Groups",
            "primary_statement": "Owens the delivery of Programme plan and scope.",
            "other_source": "",
            "other_statement": "",
            "explanation": 'Kept as the source writes it, marked [sic]: "Owens" is likely a '
            'typing error for "Owns".',
        },
    ),
}
SUB_GROUPS = ("drg", "glig", "lqtsg", "saqtsg")
SOURCE_NAMES = {
    "glig": "Fast Track Implementation Group (GLIG) SIT",
    "cdwg": "Code Draft Working Group 1 (CDWG)",
    "sitag": "System Integration & Testing Advisory Group (SITAG)",
    "sitwg": "Systems Integration Test Working Group (SITWG)",
    "mcag": "Migration and Cutover Advisory Group (MCAG)",
}
PSG_PURPOSE = ("Owns the delivery of Programme plan", "Owens the delivery of Programme plan")


def forwards(apps, schema_editor):
    SourceNote = apps.get_model("groups", "SourceNote")
    Workstream = apps.get_model("groups", "Workstream")
    GovernanceGroup = apps.get_model("groups", "GovernanceGroup")
    workstreams = {w.slug: w for w in Workstream.objects.all()}
    for note in SourceNote.objects.all():
        if note.slug in REWRITTEN:
            old, new = REWRITTEN[note.slug]
            if all(getattr(note, name) == value for name, value in old.items()):
                for name, value in new.items():
                    setattr(note, name, value)
        if note.slug in NOTES:
            field, assumption, workstream = NOTES[note.slug]
            note.field = field
            note.assumption = assumption if note.kind == "inferred" else ""
            note.workstream = workstreams.get(workstream) if workstream else None
        note.save()
    GovernanceGroup.objects.filter(slug__in=SUB_GROUPS, band="").update(band="Level 4 Sub groups")
    for slug, names in SOURCE_NAMES.items():
        GovernanceGroup.objects.filter(slug=slug, source_names="").update(source_names=names)
    for psg in GovernanceGroup.objects.filter(slug="psg", purpose__startswith=PSG_PURPOSE[0]):
        psg.purpose = psg.purpose.replace(PSG_PURPOSE[0], PSG_PURPOSE[1], 1)
        psg.save(update_fields=["purpose"])


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0006_alter_changeentry_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="governancegroup",
            name="band",
            field=models.CharField(
                blank=True,
                help_text="The diagram's band for the group where it is not its level's own, "
                'as the diagram writes it (e.g. "Level 4 Sub groups").',
                max_length=50,
            ),
        ),
        migrations.AddField(
            model_name="governancegroup",
            name="source_names",
            field=models.TextField(
                blank=True,
                help_text="Other names the source document's tables give the group, one a "
                "line, as written (searchable).",
            ),
        ),
        migrations.AddField(
            model_name="sourcenote",
            name="assumption",
            field=models.CharField(
                blank=True,
                help_text='For an inference: what the directory assumes, ending "Not stated '
                'in the source: we assume …" (e.g. "PSG reports to Ofgem, the sponsor").',
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="sourcenote",
            name="field",
            field=models.CharField(
                blank=True,
                choices=[
                    ("name", "name"),
                    ("level", "level"),
                    ("kind", "kind"),
                    ("workstream", "workstream"),
                    ("parent", "parent (reports to)"),
                    ("purpose", "purpose"),
                    ("attendees", "attendees"),
                    ("attendance", "attendance"),
                    ("decision_making", "decision-making"),
                    ("status", "status"),
                    ("timeframe", "timeframe"),
                    ("schedules", "schedules"),
                    ("mailbox", "mailbox"),
                ],
                help_text="The field the note is about, by its machine name (the JSON's key).",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="sourcenote",
            name="workstream",
            field=models.ForeignKey(
                blank=True,
                help_text="For a note on a workstream's fact (its mailbox) rather than a group's.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="source_notes",
                to="groups.workstream",
            ),
        ),
        migrations.AlterField(
            model_name="sourcenote",
            name="kind",
            field=models.CharField(
                choices=[
                    ("difference", "Sources differ"),
                    ("single_source", "Stated in one source only"),
                    ("inferred", "Inferred (not stated in the source document)"),
                    ("correction", "Typing error in the source (kept, marked [sic])"),
                ],
                max_length=20,
            ),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
