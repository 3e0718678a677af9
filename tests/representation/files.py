"""Representatives spreadsheets for the tests, and how to import them."""

from django.core.management import call_command

# Two constituencies with seats on PSG, DAG and SITAG: one vacancy (Small Supplier's second
# PSG seat), one alternate (for Ann Archer on PSG), one ended term (Dan Dee on DAG, followed
# by Erin East). "Today" in the tests is 26 November 2026.
GOOD = """group,constituency,seats,role,name,organisation,from,to,alternate_for
PSG,Large Supplier,2,member,Ann Archer,Acme Energy,2026-01-01,,
PSG,Large Supplier,2,member,Ben Baker,Bolt Power,2026-01-01,2027-12-31,
PSG,Large Supplier,2,alternate,Cat Cole,Crest Utilities,2026-03-01,,Ann Archer
DAG,Large Supplier,1,member,Dan Dee,Acme Energy,2025-01-01,2026-03-31,
DAG,Large Supplier,1,member,Erin East,Bolt Power,2026-04-01,,
SITAG,Large Supplier,1,member,Fay Ford,Crest Utilities,2026-02-01,,
PSG,Small Supplier,2,member,Gus Gray,Tiny Volts,2026-01-01,,
DAG,Small Supplier,,member,Hal Hill,Tiny Volts,2026-01-01,,
sitag,Small Supplier,1,member,Ivy Ives,Wee Watts,2026-05-01,,
"""

# Three bad rows, on spreadsheet lines 3, 5 and 6.
BAD = """group,constituency,seats,role,name,organisation,from,to
PSG,Large Supplier,2,member,Ann Archer,Acme Energy,2026-01-01,
SITWG,Large Supplier,1,member,Bo Bad,Acme Energy,2026-01-01,
DAG,Large Supplier,1,member,Dan Dee,Acme Energy,2025-01-01,
DAG,Large Supplier,1,member,Eve Early,Acme Energy,2026-13-01,
QAG,Large Supplier,1,member,Flo Flip,Acme Energy,2026-05-01,2026-04-01
"""

# As Excel saves it in the UK: DD/MM/YYYY, Windows-1252 (an é in a name), CRLF.
UK_EXCEL = (
    "group,constituency,seats,role,name,organisation,from,to\r\n"
    "PSG,Large Supplier,1,member,Zoë Zéphyr,Ötztal Énergie,01/04/2026,31/03/2028\r\n"
    "MCAG,I&C Supplier,1,member,Rhys Jones,Côte Power,15/06/2026,\r\n"
)


def import_file(tmp_path, text: str, *, encoding="utf-8", name="reps.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    call_command("import_representatives", str(path))
    return path
