"""A site admin's recovery for a lost phone: remove a user's two-factor devices."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.two_factor import two_factor_reset


class Command(BaseCommand):
    help = "Remove USERNAME's two-factor devices; they enrol again at the next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Recorded in the audit trail.")

    def handle(self, *args, username, reason, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        count = two_factor_reset(user=user, actor=None, reason=reason)
        self.stdout.write(f"Removed {count} device(s) of {username}.")
