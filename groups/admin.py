from django.contrib import admin

from .models import GovernanceGroup, Level, Mailbox, SourceNote, StatusChange, Workstream

admin.site.register([Level, Mailbox, Workstream, SourceNote, StatusChange, GovernanceGroup])
