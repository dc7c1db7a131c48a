"""``python manage.py load_calendar YEAR [--file NOTICE]``.

Loads a year's official schedule from a text file holding the State
Council's notice, or, without ``--file``, from the chinesecalendar package;
then recomputes the provisional due dates of open cases.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.calendar_notice import parse_notice
from portal.errors import DomainError
from portal.services import calendar_days_from_package, calendar_load_year


class Command(BaseCommand):
    help = "Load a year's official holiday schedule and recompute provisional due dates."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--file",
            type=Path,
            help="UTF-8 text of the State Council General Office's notice for YEAR.",
        )

    def handle(self, *args, year: int, file: Path | None, **options):
        try:
            if file:
                text = file.read_text(encoding="utf-8")
                days = parse_notice(text, year)
                source = f"State Council notice ({file.name})"
            else:
                text = ""
                days = calendar_days_from_package(year)
                source = "chinesecalendar"
            result = calendar_load_year(
                year=year, days=days, source=source, actor=None, notice_text=text
            )
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}") from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.year}: {result.days_off} days off, "
                f"{result.working_weekends} adjusted working days loaded; "
                f"{result.recomputed} due dates recomputed."
            )
        )
