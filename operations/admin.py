"""The admin site's own names (each app registers its models in its own admin module)."""

from django.contrib import admin

admin.site.site_header = "MHHS governance directory: programme office"
admin.site.site_title = "MHHS governance directory admin"
admin.site.index_title = "Keep the directory current"
