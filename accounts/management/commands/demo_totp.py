"""Print the current two-factor code of a demo account (published demo secret only)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.two_factor import demo_totp_code


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account, e.g. demo-handler."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        code = demo_totp_code(user)
        if code is None:
            raise CommandError(
                f"{username} has no demo two-factor device (only the demo's staff and admin "
                "accounts have one; real devices' codes are never printed)."
            )
        self.stdout.write(code)
