from django.core.management.base import BaseCommand, CommandError

from accounts.models import Platform
from accounts.services import api_key_issue


class Command(BaseCommand):
    help = "Issue an API key for the platform with this USCC and print it (shown only once)."

    def add_arguments(self, parser):
        parser.add_argument("uscc")
        parser.add_argument("--name", required=True)

    def handle(self, *args, uscc: str, name: str, **options):
        platform = Platform.objects.filter(uscc=uscc.strip().upper()).first()
        if platform is None:
            raise CommandError(f"No platform with USCC {uscc}.")
        key, raw = api_key_issue(platform=platform, name=name, actor=None)
        self.stdout.write(raw)
        self.stderr.write(f"Issued key {key.prefix}… “{key.name}” for {platform.name}.")
