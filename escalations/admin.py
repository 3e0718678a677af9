from django.contrib import admin

from .models import GuidanceSection, WorkedExample

admin.site.register([GuidanceSection, WorkedExample])
