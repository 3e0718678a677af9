"""The decision register: references, who may decide, the register's filters, JSON and CSV,
and "Challenge this decision" with the route finder's ``?decision=``."""

import csv
import io
from datetime import date, timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.exceptions import ValidationError

from changelog.models import ChangeEntry
from records.enums import DecisionStatus
from records.models import Decision
from records.services import decision_save
from tests.records.conftest import PUBLISHED, group, make_decision, make_record, post, record_form


def test_references_are_the_acronym_the_year_and_a_sequence(seeded, now):
    first = make_decision(day=date(2026, 11, 4))
    second = make_decision(day=date(2026, 12, 2))
    next_year = make_decision(day=date(2027, 1, 6))
    ccag = make_decision("ccag", date(2026, 11, 25))
    assert [first.reference, second.reference, next_year.reference, ccag.reference] == [
        "PSG-2026-001",
        "PSG-2026-002",
        "PSG-2027-001",
        "CCAG-2026-001",
    ]
    first.title = "Renamed"
    first.date = date(2026, 11, 5)
    first.save()
    first.refresh_from_db()
    assert first.reference == "PSG-2026-001"  # a reference is for life


def test_a_working_group_does_not_decide_its_outcome_is_its_advisory_groups_decision(seeded):
    with pytest.raises(ValidationError) as refused:
        make_decision("cdwg", date(2026, 12, 8))
    assert refused.value.message_dict["group"] == [
        "CDWG does not make decisions. Record its outcome as a decision of CCAG, with CDWG "
        "as the group that recommended it."
    ]
    decision = make_decision("ccag", date(2026, 11, 25), recommended_by=group("cdwg"))
    assert decision.recommended_by.slug == "cdwg"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"status": DecisionStatus.SUPERSEDED}, "superseded_by", "Say which decision"),
        ({"recommended_by_slug": "psg"}, "recommended_by", "does not recommend to itself"),
        ({"record_of": ("ccag", date(2026, 11, 25))}, "record", "Choose a meeting of PSG"),
        ({"record_of": ("psg", date(2026, 11, 4))}, "date", "The meeting was on 4 November"),
    ],
)
def test_a_decision_that_does_not_hold_together_is_refused(seeded, now, fields, field, message):
    if "recommended_by_slug" in fields:
        fields["recommended_by"] = group(fields.pop("recommended_by_slug"))
    if "record_of" in fields:
        fields["record"] = make_record(*fields.pop("record_of"))
    with pytest.raises(ValidationError) as refused:
        make_decision(day=date(2026, 12, 2), **fields)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Decision.objects.exists()


def test_the_register_lists_published_decisions_only(client, seeded, now):
    make_decision(title="Published one")
    make_decision(title="A draft", published_at=None)
    make_decision(title="Tomorrow's", published_at=now + timedelta(days=1))
    html = client.get("/decisions/").content.decode()
    assert "Published one" in html and "A draft" not in html and "Tomorrow&#x27;s" not in html
    assert client.get("/decisions/PSG-2026-002/").status_code == 404
    assert client.get("/decisions/PSG-2026-003/").status_code == 404
    assert client.get("/api/decisions/").json()["count"] == 1


@pytest.fixture
def register(seeded, now):
    plan = make_decision(day=date(2026, 11, 4), title="Migration plan approved")
    make_decision(day=date(2027, 1, 6), title="Cutover window set", summary="Spring 2027")
    ccag = make_decision(
        "ccag", date(2026, 11, 25), title="=HYPERLINK(1) code change", recommended_by=group("cdwg")
    )
    ccag.status, ccag.superseded_by = DecisionStatus.SUPERSEDED, plan
    ccag.status_reason = "The migration plan covers the code change."
    decision_save(decision=ccag, by=None)
    return plan


@pytest.mark.parametrize(
    ("query", "references"),
    [
        ("", ["PSG-2027-001", "CCAG-2026-001", "PSG-2026-001"]),
        ("group=psg", ["PSG-2027-001", "PSG-2026-001"]),
        ("workstream=code", ["CCAG-2026-001"]),
        ("year=2027", ["PSG-2027-001"]),
        ("status=superseded", ["CCAG-2026-001"]),
        ("q=spring", ["PSG-2027-001"]),
        ("q=psg-2026", ["PSG-2026-001"]),
        ("group=psg&year=2026&status=made", ["PSG-2026-001"]),
    ],
)
def test_the_register_filters(client, register, query, references):
    found = client.get(f"/api/decisions/?{query}").json()
    assert [d["reference"] for d in found["decisions"]] == references
    assert found["count"] == len(references)
    html = client.get(f"/decisions/?{query}").content.decode()
    assert f"{len(references)} decision" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=twenty", "Give a year as four digits"),
        ("year=1999", "Give a year from 2000 to 2100"),
        ("group=cdwg", "There is no such group"),  # decides nothing
        ("status=maybe", "There is no status maybe"),
        ("group=psg&group=ccag", "Give group once"),
    ],
)
def test_a_bad_filter_is_a_400_with_the_reason_everywhere(client, register, query, message):
    for path in ("/decisions/", "/api/decisions/", "/decisions/export.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()


def test_the_json_shape(client, register):
    (decision,) = client.get("/api/decisions/?group=ccag").json()["decisions"]
    assert decision == {
        "reference": "CCAG-2026-001",
        "group": "ccag",
        "date": "2026-11-25",
        "title": "=HYPERLINK(1) code change",
        "summary": "PSG approved the migration plan v2.",
        "rationale": "The plan meets the programme's criteria.",
        "status": "superseded",
        "status_reason": "The migration plan covers the code change.",
        "superseded_by": "PSG-2026-001",
        "recommended_by": "cdwg",
        "meeting": None,
        "meeting_url": None,
        "published_at": PUBLISHED.isoformat(),
        "url": "http://testserver/decisions/CCAG-2026-001/",
        "challenge_url": "http://testserver/escalations/route/?decision=CCAG-2026-001",
    }


def test_the_csv_export_is_filtered_and_spreadsheet_safe(client, register):
    response = client.get("/decisions/export.csv?status=superseded")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["reference", "group", "date", "title"]
    assert rows[1][:4] == ["CCAG-2026-001", "ccag", "2026-11-25", "'=HYPERLINK(1) code change"]
    assert len(rows) == 2


def mailto_subjects(html: str) -> list[str]:
    links = [part.split('"', 1)[0] for part in html.split('href="mailto:')[1:]]
    return [
        unquote(parse_qs(urlsplit("mailto:" + link).query)["subject"][0])
        for link in links
        if "subject=" in link
    ]


def test_challenge_this_decision_shows_the_formal_route_with_the_reference(client, register):
    html = client.get("/decisions/CCAG-2026-001/").content.decode()
    challenge = html.split('id="challenge-heading"', 1)[1]
    assert "Decision CCAG-2026-001 was made by CCAG on 25 November 2026" in challenge
    assert "Programme Steering Group (PSG)" in challenge and "IPA" in challenge
    assert mailto_subjects(challenge) == [
        "Formal escalation to Programme Steering Group (PSG): CCAG-2026-001 "
        "(=HYPERLINK(1) code change)"
    ]
    assert "Superseded by" in html and 'href="/decisions/PSG-2026-001/"' in html
    assert "on the recommendation of" in html


def test_the_route_finder_takes_a_decision(client, register):
    html = client.get("/escalations/route/?decision=PSG-2026-001").content.decode()
    assert "Challenge a decision: PSG-2026-001 (Migration plan approved)" in html
    assert 'href="/decisions/PSG-2026-001/"' in html
    answer = client.get("/api/escalations/route/?decision=psg-2026-001").json()
    assert answer["decision"] == "PSG-2026-001"
    assert answer["group"] == "psg" and answer["kind"] == "formal"
    assert [step["target"] for step in answer["steps"]] == ["ipa"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("decision=PSG-2099-001", "There is no published decision PSG-2099-001"),
        ("decision=nonsense", "There is no published decision NONSENSE"),
        ("decision=PSG-2026-001&kind=query", "A decision is challenged through the formal"),
    ],
)
def test_an_unknown_decision_is_a_400_with_the_reason(client, register, query, message):
    for path in ("/escalations/route/", "/api/escalations/route/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()


@pytest.mark.parametrize("reference", ["psg-2026-001", "PSG-26-001", "PSG_2026_001", "x" * 300])
def test_a_reference_in_the_wrong_form_is_404(client, register, reference):
    assert client.get(f"/decisions/{reference}/").status_code == 404


def test_search_finds_a_decision_by_reference_and_words(client, register):
    html = client.get("/search/?q=PSG-2026-001").content.decode()
    assert 'href="/decisions/PSG-2026-001/"' in html
    html = client.get("/search/?q=cutover").content.decode()
    assert 'href="/decisions/PSG-2027-001/"' in html
    make_decision(title="Draft about zebras", published_at=None)
    assert "Draft about zebras" not in client.get("/search/?q=zebras").content.decode()


def test_only_a_published_decision_of_a_deciding_group_supersedes(seeded, now):
    old = make_decision(day=date(2026, 11, 4))
    draft = make_decision(title="Secret successor", published_at=None)
    later = make_decision(title="Tomorrow's successor", published_at=now + timedelta(days=1))
    for successor in (draft, later):
        old.refresh_from_db()
        old.status, old.superseded_by = DecisionStatus.SUPERSEDED, successor
        old.status_reason = "Replaced."
        with pytest.raises(ValidationError) as refused:
            decision_save(decision=old, by=None)
        assert refused.value.message_dict["superseded_by"] == [
            f"{successor.reference} is not a published decision of a decision-making group: "
            "only a published decision can supersede another."
        ]
    old.refresh_from_db()
    assert old.status == DecisionStatus.MADE and old.superseded_by is None
    old.status, old.superseded_by = DecisionStatus.SUPERSEDED, make_decision(title="Public")
    old.status_reason = "Replaced."
    decision_save(decision=old, by=None)
    entry = ChangeEntry.objects.get(kind="decision_superseded")
    assert entry.summary == "Decision PSG-2026-001 (PSG) superseded by PSG-2026-004"
    assert entry.after == "Superseded: Replaced."


def test_the_admin_offers_and_takes_only_published_successors(office, client, seeded, now):
    old = make_decision(day=date(2026, 11, 4), title="Old")
    draft = make_decision(title="Secret successor", published_at=None)
    later = make_decision(title="Embargoed successor", published_at=now + timedelta(days=1))
    published = make_decision(title="Public successor")
    change = f"/admin/records/decision/{old.pk}/change/"
    html = office.get(change).content.decode()
    offered = html.split('name="superseded_by"', 1)[1].split("</select>", 1)[0]
    assert published.reference in offered
    assert draft.reference not in offered and later.reference not in offered
    for crafted in (draft, later):  # a crafted POST naming one the form does not offer
        fields = record_form(office, change)
        fields.update(
            {
                "status": ["superseded"],
                "superseded_by": [str(crafted.pk)],
                "status_reason": ["Replaced."],
            }
        )
        response = post(office, change, fields)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    old.refresh_from_db()
    assert old.superseded_by is None
    for path in ("/decisions/PSG-2026-001/", "/decisions/", "/api/decisions/", "/changes/"):
        shown = client.get(path).content.decode()
        assert "Secret successor" not in shown and draft.reference not in shown, path
        assert "Embargoed successor" not in shown, path
