"""The source document against the data, fact by fact: every difference between its parts,
every fact only one part states and every inference is on record as a source note."""

import re

from django.utils.text import slugify

from groups.enums import SOURCE_KEY, Kind, NoteKind, Status
from groups.models import GovernanceGroup, Level, Mailbox, SourceNote, Workstream
from meetings.models import MeetingSeries
from tests.groups.test_seed import SEED, _slug_for, monthly_rows, overview_rows

# Note sources that are not the source document's own words.
NOT_QUOTED = {"Inferred", "Shown"}
DIAGRAM_TEXT = SEED.split("Overview for Level 2-4 Groups", 1)[0]
KEY = next(line for line in SEED.splitlines() if line.startswith("Key\t")).split("\t")[1:]
FOOTNOTE = next(line for line in SEED.splitlines() if line.startswith("*"))
KIND_LABELS = {"Non-Governance Group", "Non-Governance Delivery Group"}
LEVEL_DESCRIPTION_STARTS = ("Decision-making", "Non-decision-making")


def _flat(text: str) -> str:
    return " ".join(text.split())


# The text as one line; and with table cells joined by ", ", as notes quote a row's cells.
FLAT = _flat(SEED)
FLAT_CELLS = _flat(SEED.replace("\t", ", "))
OVERVIEW = {_slug_for(row[1]): row for row in overview_rows()}


def diagram_boxes():
    """(level, band title, text) for every box of the diagram, in the text's order."""
    level, band, boxes = None, "", []
    for block in re.split(r"\n\s*\n", DIAGRAM_TEXT):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        heading = re.fullmatch(r"Level (\d)", lines[0])
        if heading:
            level, band = int(heading[1]), " ".join(lines[1:])
        elif level is not None and not lines[0].startswith(("Key", "-", "*")):
            boxes.append((level, band, " ".join(lines)))
    return boxes


def diagram_groups():
    """slug -> (level, band title, label as written, without the footnote's asterisk)."""
    groups = {}
    for level, band, text in diagram_boxes():
        if text in KIND_LABELS or text.startswith(LEVEL_DESCRIPTION_STARTS):
            continue
        label = text.rstrip("*")
        if text == "Ofgem as Sponsor":
            slug = "ofgem"
        elif "(" in label:
            slug = _slug_for(label)
        else:
            slug = slugify(label)
        groups[slug] = (level, band, label)
    return groups


def band_descriptions():
    """(level, band title) -> the description the diagram writes under that band."""
    return {
        (level, band): text
        for level, band, text in diagram_boxes()
        if text.startswith(LEVEL_DESCRIPTION_STARTS)
    }


def footnote_groups():
    """The groups the diagram's footnote names in brackets: those it says were replaced."""
    return {acronym.lower() for acronym in re.findall(r"\(([A-Z]+)\)", FOOTNOTE)}


def notes(group, kind, fact_word, *, exact=False):
    """The group's notes of that kind whose fact is, or (not exact) names, the fact given."""
    found = SourceNote.objects.filter(group__slug=group, kind=kind)
    return [n for n in found if (n.fact == fact_word if exact else fact_word in n.fact)]


def statements(note):
    return {note.primary_statement, note.other_statement} - {""}


def test_the_diagram_parses():
    boxes = diagram_boxes()
    groups = diagram_groups()
    assert len(groups) == 20
    assert sorted(t for _, _, t in boxes if t in KIND_LABELS) == sorted(KIND_LABELS)
    assert set(band_descriptions()) == {(3, "Advisory Groups"), (4, "Working Groups")}
    assert {band for _, band, _ in boxes} == {
        "",
        "Steering Group",
        "Advisory Groups",
        "Working Groups",
        "Sub groups",
    }
    assert footnote_groups() == {"tmag"}
    assert [status.label for status in SOURCE_KEY] == KEY


def test_every_quoted_statement_is_the_source_documents_own_text(seeded):
    """Punctuation, spacing and typing errors kept: a statement is found in the text as
    written (a table's cells joined by ", ", a "Week N: " column label allowed)."""
    for note in SourceNote.objects.all():
        for source, statement in (
            (note.primary_source, note.primary_statement),
            (note.other_source, note.other_statement),
        ):
            if not statement or source in NOT_QUOTED:
                continue
            text = _flat(re.sub(r"^Week [1-4]: ", "", statement))
            assert text in FLAT or text in FLAT_CELLS, f"{note.slug}: {statement!r}"


def test_level_titles_are_the_diagrams(seeded):
    titles = dict(Level.objects.values_list("number", "title"))
    first_band = {}
    for level, band, _ in diagram_boxes():
        first_band.setdefault(level, band)
    for number in (2, 3, 4):
        assert titles[number] == first_band[number]
    assert "Ofgem as " + titles[1] in FLAT


def test_diagram_levels_agree_with_the_overview_or_the_difference_is_recorded(seeded):
    for slug, (level, band, _) in diagram_groups().items():
        group = GovernanceGroup.objects.select_related("level").get(slug=slug)
        if slug not in OVERVIEW:
            assert group.level_number == level, slug  # the diagram is the only source
            continue
        table_level = OVERVIEW[slug][2]
        if table_level == str(level):
            continue
        recorded = notes(slug, NoteKind.DIFFERENCE, "level", exact=True)
        assert recorded, f"{slug}: overview {table_level!r}, diagram Level {level} {band}"
        assert statements(recorded[0]) == {table_level, f"Level {level} {band}"}
        assert recorded[0].primary_source.startswith("Overview")  # the primary source
        assert (group.level_number, group.level_note) == (None, table_level)


def test_diagram_labels_agree_with_the_overview_or_the_difference_is_recorded(seeded):
    for slug, (_, _, label) in diagram_groups().items():
        group = GovernanceGroup.objects.get(slug=slug)
        if slug not in OVERVIEW:
            if slug != "ofgem":
                assert group.display_name == label
            continue
        name_cell = OVERVIEW[slug][1]
        if label == name_cell:
            continue
        recorded = notes(slug, NoteKind.DIFFERENCE, "name", exact=True)
        assert recorded, f"{slug}: diagram {label!r} against overview {name_cell!r}"
        note = recorded[0]
        sources = {note.primary_statement: note.primary_source}
        sources[note.other_statement] = note.other_source
        assert name_cell in sources and label in sources, slug
        assert "diagram" in sources[label]


def test_every_status_wording_that_differs_from_the_key_is_recorded(seeded):
    for slug, row in OVERVIEW.items():
        status_cell = row[5]
        group = GovernanceGroup.objects.get(slug=slug)
        if status_cell in KEY:
            assert group.get_status_display() == status_cell
            continue
        recorded = notes(slug, NoteKind.DIFFERENCE, "status wording", exact=True)
        assert recorded, f"{slug}: {status_cell!r} is not the key's wording"
        note = recorded[0]
        assert note.primary_statement == status_cell
        assert note.other_statement == group.get_status_display()
        assert note.other_statement in KEY and "key" in note.other_source


def test_a_status_the_text_does_not_give_is_not_stated(seeded):
    for group in GovernanceGroup.objects.all():
        if group.slug in OVERVIEW:
            continue
        if group.slug in footnote_groups():
            assert group.status == Status.REPLACED and "replaced" in FOOTNOTE
            continue
        assert group.status == Status.NOT_STATED, group.slug
        assert "status" not in group.inferred_fields


def stated_attendance_and_decision_making(slug):
    """What the source document says of a group's attendance and decision-making, if it does:
    the overview's attendees and purpose, else the description of its band on the diagram,
    which does not speak for the groups it excepts."""
    attendance = decision = None
    if slug in OVERVIEW:
        attendees, purpose = OVERVIEW[slug][4], OVERVIEW[slug][3]
        if attendees.startswith("Open to all"):
            attendance = "open"
        elif attendees.startswith("Closed attendance"):
            attendance = "closed"
        if "decision-making" in purpose:
            decision = True
    if slug in diagram_groups():
        level, band, _ = diagram_groups()[slug]
        description = band_descriptions().get((level, band), "")
        excepted = re.findall(r"\(except (.+)\)", description)
        if description and slug.upper() not in " ".join(excepted).split():
            if decision is None:
                decision = description.startswith("Decision-making")
            if attendance is None:
                attendance = "closed" if "closed attendance" in description else "open"
    return attendance, decision


def test_attendance_and_decision_making_are_stated_or_marked_inferred(seeded):
    for group in GovernanceGroup.objects.all():
        attendance, decision = stated_attendance_and_decision_making(group.slug)
        if attendance is None:
            assert notes(group.slug, NoteKind.INFERRED, "attendance"), group.slug
        else:
            assert group.attendance == attendance, group.slug
        if decision is None:
            assert notes(group.slug, NoteKind.INFERRED, "decision-making"), group.slug
        else:
            assert group.decision_making == decision, group.slug


def test_the_sub_groups_attendance_and_decision_making_are_inferred(seeded):
    for slug in ("lqtsg", "saqtsg"):
        assert diagram_groups()[slug][1] == "Sub groups"
        assert stated_attendance_and_decision_making(slug) == (None, None)
        assert notes(slug, NoteKind.INFERRED, "attendance")
        assert notes(slug, NoteKind.INFERRED, "decision-making")


def test_a_group_in_one_source_only_is_recorded_both_ways(seeded):
    in_diagram = set(diagram_groups()) | footnote_groups()
    for slug in GovernanceGroup.objects.values_list("slug", flat=True):
        if slug in in_diagram and slug in OVERVIEW:
            continue
        recorded = notes(slug, NoteKind.SINGLE_SOURCE, "the group", exact=True)
        assert len(recorded) == 1, slug
        expected = "Overview" if slug in OVERVIEW else "diagram"
        assert expected in recorded[0].primary_source, slug


def test_a_schedule_in_one_table_only_is_recorded(seeded):
    monthly_slugs = {_slug_for(name) for _, name, _ in monthly_rows()}
    for slug, row in OVERVIEW.items():
        schedule = row[7]
        if schedule.startswith("Ad-hoc") or slug in monthly_slugs:
            continue
        recorded = notes(slug, NoteKind.SINGLE_SOURCE, "schedule", exact=True)
        assert [n.primary_statement for n in recorded] == [schedule], slug
    for series in MeetingSeries.objects.filter(source="monthly_table"):
        # Only the monthly table dates it: its "Week N" reading is an inference.
        inferred = notes(series.group.slug, NoteKind.INFERRED, "day")
        assert series.schedule_text in {n.primary_statement for n in inferred}, series


def test_a_kind_only_the_diagram_gives_is_recorded(seeded):
    labels = {label.casefold() for label in KIND_LABELS}
    for group in GovernanceGroup.objects.filter(
        kind__in=[Kind.NON_GOVERNANCE, Kind.NON_GOVERNANCE_DELIVERY]
    ):
        assert group.get_kind_display().casefold() in labels
        if "non-governance" in OVERVIEW[group.slug][3].casefold():
            continue  # the overview's purpose says so too
        recorded = notes(group.slug, NoteKind.SINGLE_SOURCE, "kind", exact=True)
        assert recorded and recorded[0].primary_statement in KIND_LABELS, group.slug


def test_workstreams_in_one_part_only_are_recorded(seeded):
    structure = SEED.split("Workstream structure", 1)[1]
    listed = re.findall(r"^(\w+) workstream$", structure, flags=re.M)
    stored = set(Workstream.objects.values_list("name", flat=True))
    assert set(listed) <= stored
    for name in sorted(stored - set(listed)):
        assert name in {row[0] for row in OVERVIEW.values()}
        assert SourceNote.objects.filter(
            group=None, kind=NoteKind.SINGLE_SOURCE, fact=f"{name} workstream"
        ).exists(), name


def test_a_workstream_the_overview_does_not_give_is_inferred_or_absent(seeded):
    for group in GovernanceGroup.objects.exclude(slug__in=OVERVIEW):
        if group.workstream_id:
            assert notes(group.slug, NoteKind.INFERRED, "workstream"), group.slug
        else:
            assert group.workstream_note, group.slug


def test_every_anchor_date_is_inferred(seeded):
    for series in MeetingSeries.objects.exclude(anchor_date=None).select_related("group"):
        assert notes(series.group.slug, NoteKind.INFERRED, "first meeting date"), series


def test_the_contact_list_keeps_its_caption(seeded):
    caption = "Extract of 'Contact us' webpage"
    assert caption in SEED.splitlines()
    for mailbox in Mailbox.objects.exclude(slug="ppc"):
        assert caption in mailbox.source, mailbox.slug


def test_a_group_named_only_inside_a_purpose_is_recorded(seeded):
    acronyms = set(GovernanceGroup.objects.values_list("acronym", flat=True))
    for slug, row in OVERVIEW.items():
        for acronym in re.findall(r"\b[A-Z]+WG\b|\b[A-Z]+AG\b", row[3] + " " + row[4]):
            if acronym in acronyms:
                continue
            recorded = notes(slug, NoteKind.SINGLE_SOURCE, acronym, exact=True)
            assert recorded and acronym in recorded[0].primary_statement, (slug, acronym)


def test_every_workstream_mailbox_is_marked_inferred(seeded):
    """The text says each workstream owns a mailbox, never which: every pairing is inferred."""
    assert "Each workstream owns a mailbox." in SEED
    workstreams = Workstream.objects.select_related("mailbox").prefetch_related("source_notes")
    for workstream in workstreams:
        mailbox = workstream.provenance("mailbox")
        assert mailbox.inferred, workstream.slug
        names = (workstream.mailbox.name, workstream.name) if workstream.mailbox else ()
        for name in names:
            assert re.search(rf"\b{re.escape(name)}\b", mailbox.note.explanation), name
