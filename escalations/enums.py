from django.db import models


class RouteKind(models.TextChoices):
    FORMAL = "formal", "Formal escalation"
    INFORMAL = "informal", "Informal escalation"
    QUERY = "query", "General query"


KIND_HELP = {
    RouteKind.FORMAL: "About a decision made through programme governance.",
    RouteKind.INFORMAL: "About general activity or approach, not a decision.",
    RouteKind.QUERY: "A question for the programme, not a concern about a decision.",
}
