"""What a department asks a platform, and the platform's answer by a due date.

Three things are asked of a platform: to handle a forwarded complaint (Trial
Art. 15; Order 117 Art. 20), to act on a notice about a party (Order 117
Art. 14, 21) and to hand over documents in an inspection (Trial Art. 26;
Order 117 Art. 21, 46). Each is a model of its app on :class:`PlatformRequest`,
which holds the question (what is asked, by whom, when), its due date (the
request's clock), the answer and who gave it. Each is answered through
:func:`request_answer`: one check of who may answer, one record of the author
(the officer, or the API key's name when a system answered) and of the way it
came (web page or API), and one close of the request's clock.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import actor_label, actor_user
from .errors import Conflict, NotAllowed
from .fields import SealedTextField, SealedTextModel, SealField
from .models import Deadline
from .services import deadline_close

ANSWER_PERMISSION = "accounts.answer_platform_requests"


class AnswerChannel(models.TextChoices):
    WEB = "web", _("web page")
    API = "api", _("API")


class PlatformRequest(SealedTextModel, models.Model):
    """A request to a platform: the question, its due date and the answer. The
    subclass adds what the request is about (a case, a party, an inspection)."""

    question = SealedTextField(_("what the platform is asked"), max_length=5000)
    question_sealed = SealField()
    asked_at = models.DateTimeField(_("asked at"), default=timezone.now, db_index=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer = SealedTextField(_("platform's answer"), max_length=5000, blank=True)
    answer_sealed = SealField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # the officer's name, or the API key's name when a system answered
    answered_by_label = models.CharField(_("answered by"), max_length=200, blank=True)
    answered_via = models.CharField(
        _("answered through"), max_length=8, choices=AnswerChannel.choices, blank=True
    )

    deadlines = GenericRelation("portal.Deadline")

    class Meta:
        abstract = True

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    @property
    def due_on(self):
        """The answer's due date: its clock's (annotated by :func:`with_answer_due`,
        else read from the clock), so that an excluded period or an extension moves
        it for everyone who reads it."""
        if not hasattr(self, "answer_due"):
            clock = Deadline.objects.for_object(self).order_by("-started_on", "-pk").first()
            self.answer_due = clock.due_on if clock else None
        return self.answer_due

    @property
    def answer_state(self) -> str:
        """``awaiting``, ``overdue``, ``answered`` or ``answered_late``, by the request's
        ``due_on``: the department and the platform see the same."""
        due = self.due_on
        if self.answered_at is None:
            return "overdue" if due and due < timezone.localdate() else "awaiting"
        return "answered_late" if due and timezone.localdate(self.answered_at) > due else "answered"


def with_answer_due(queryset, *, provisional: bool = False):
    """``queryset`` of requests, each annotated with ``answer_due``: its latest
    clock's due date, in the same query (to sort and filter by it); with
    ``provisional``, also ``due_provisional`` from the same clock."""
    clocks = Deadline.objects.latest_of_row(queryset.model)
    fields = {"answer_due": Subquery(clocks.values("due_on")[:1])}
    if provisional:
        fields["due_provisional"] = Subquery(clocks.values("provisional")[:1])
    return queryset.annotate(**fields)


def request_answer_check(request: PlatformRequest, *, actor, platform_id: int) -> None:
    """Whether ``actor`` may answer ``request``, asked of the platform ``platform_id``:
    only an officer or API key of that platform (``NotAllowed``), and only once
    (``Conflict``). Callers with checks of their own run this one first, so that
    nobody outside the platform learns more than that they may not answer."""
    if not actor.has_perm(ANSWER_PERMISSION) or getattr(actor, "platform_id", None) != platform_id:
        raise NotAllowed(_("Only the platform this was asked of may answer it."), code="not_asked")
    if request.answered_at is not None:
        raise Conflict(_("This has been answered already."), code="answered")


def request_answer(request: PlatformRequest, *, actor, answer: str, platform_id: int) -> bool:
    """Record ``actor``'s answer on ``request`` (locked by the caller) and close its
    open clock; return whether it came late. A late answer is taken and recorded as
    late. The author is the officer, or the API key's name when a system answered."""
    request_answer_check(request, actor=actor, platform_id=platform_id)
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.answered_by = actor_user(actor)
    request.answered_by_label = actor_label(actor)[:200]
    api = getattr(actor, "api_key", None) is not None
    request.answered_via = AnswerChannel.API if api else AnswerChannel.WEB
    request.full_clean()
    request.save(
        update_fields=["answer", "answered_at", "answered_by", "answered_by_label", "answered_via"]
    )
    clock = Deadline.objects.for_object(request).open().first()
    late = bool(clock and clock.due_on < timezone.localdate(request.answered_at))
    if clock is not None:
        deadline_close(deadline=clock, actor=actor)
    return late
