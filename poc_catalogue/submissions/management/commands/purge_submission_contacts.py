"""Delete the contact details of rejected submissions and of those past the retention period."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Q
from django.utils import timezone

from poc_catalogue.submissions.models import Submission, SubmissionStatus
from poc_catalogue.submissions.ratelimit import forget_old_attempts


class Command(BaseCommand):
    help = (
        "Erase the name, email and phone of rejected submissions and of submissions older "
        "than SUBMISSION_CONTACT_RETENTION_DAYS. Run it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Override SUBMISSION_CONTACT_RETENTION_DAYS for this run.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged, change nothing."
        )

    def handle(self, *args, days: int | None, dry_run: bool, **options) -> None:
        days = settings.SUBMISSION_CONTACT_RETENTION_DAYS if days is None else days
        cutoff = timezone.now() - timedelta(days=days)
        due = (
            Submission.objects.filter(
                Q(status=SubmissionStatus.REJECTED) | Q(created_at__lt=cutoff)
            )
            .exclude(contact_name="", contact_email="", contact_phone="")
            .order_by("pk")
        )
        total = due.count()
        self.stdout.write(
            f"{total} submission(s) with contact details to purge "
            f"(rejected, or submitted before {cutoff:%Y-%m-%d})."
        )
        for position, submission in enumerate(due.iterator(), start=1):
            if not dry_run:
                submission.purge_contact_details()
            if position % 100 == 0 or position == total:
                self.stdout.write(f"  {position}/{total}")
        attempts = 0 if dry_run else forget_old_attempts()
        verb = "Would purge" if dry_run else "Purged"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} the contact details of {total} submission(s); "
                f"forgot {attempts} old rate-limit record(s)."
            )
        )
