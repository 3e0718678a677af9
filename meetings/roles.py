"""What the "Programme office" role may do with meeting series beyond the groups' role
(``groups.roles``): confirm a series' first date and set its known-from date, the
corrections of what the directory inferred of its dates. Granted by migration 0006."""

PROGRAMME_OFFICE_MEETINGS_PERMISSIONS = [("meetings", "confirm_series_dates")]
