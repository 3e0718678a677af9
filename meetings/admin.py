from django.contrib import admin

from .models import Cancellation, MeetingSeries, Move, OneOffMeeting

admin.site.register([MeetingSeries, Cancellation, Move, OneOffMeeting])
