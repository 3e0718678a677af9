"""The public pages that the accessibility and HTML checks cover."""

GROUP_SLUGS = [
    "ofgem",
    "psg",
    "glig",
    "ccag",
    "dag",
    "sitag",
    "mcag",
    "qag",
    "tmag",
    "cdwg",
    "bprwg-tdwg",
    "sdwg",
    "sitwg",
    "mwg",
    "dcwg",
    "torwg",
    "qwg",
    "engagement-and-comms-group",
    "commercial-impacts-group",
    "drg",
    "lqtsg",
    "saqtsg",
]

MAIN_PAGES = [
    "/",
    "/groups/",
    "/groups/?level=4&attendance=open",
    "/groups/psg/",
    "/groups/tmag/",
    "/groups/qwg/",
    "/workstreams/",
    "/workstreams/migration/",
    "/contact/",
    "/data-quality/",
    "/calendar/2026/11/",
    "/calendar/2027/03/?workstream=test",
    "/calendar/pattern/",
    "/escalations/",
    "/escalations/route/",
    "/escalations/route/?group=sitwg&kind=formal",
]
ERROR_PAGES = [
    "/groups/?level=99",
    "/escalations/route/?group=nope&kind=formal",
    "/groups/nope/",
    "/calendar/2026/11/?workstream=nowhere",
]
ALL_PAGES = MAIN_PAGES + [f"/groups/{slug}/" for slug in GROUP_SLUGS] + ERROR_PAGES
