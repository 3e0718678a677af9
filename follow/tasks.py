"""The sender as a task for the worker (django-tasks, ``manage.py db_worker``).

The task does what ``manage.py send_notifications`` does. The site enqueues it when an
email is owed at once (``send_soon``: a confirmation request), so the worker sends it
within seconds; cron runs the command every five minutes for everything that falls due
with the clock (notices, digests, reminders, retries), and catches up whatever the
worker missed. Either may run on several hosts at once: each email goes once.
"""

from django.db import transaction
from django_tasks import task

from . import sending


@task()
def send_notifications() -> dict:
    """Send every email due now; returns what the run sent and failed to send."""
    send_run = sending.run()
    return {"sent": send_run.sent, "failed": send_run.failed}


def send_soon() -> None:
    """Have the worker send what is due once the current transaction commits."""
    transaction.on_commit(send_notifications.enqueue)
