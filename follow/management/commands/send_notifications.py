"""``manage.py send_notifications``: send every email due now, then exit.

Confirmation requests, notices of changes, digests whose period has closed, meeting
reminders and retries whose time has come; it also forgets follow requests older than a
day and subscriptions left unconfirmed for seven. Run it from cron every five minutes
(``*/5 * * * *``); running it twice, or on several hosts at once, sends nothing twice.
"""

from django.core.management.base import BaseCommand

from follow import sending


class Command(BaseCommand):
    help = "Send every email due now (confirmations, notices, digests, reminders, retries)."

    def handle(self, *args, **options):
        send_run = sending.run()
        self.stdout.write(f"Sent {send_run.sent} emails; {send_run.failed} failed.")
