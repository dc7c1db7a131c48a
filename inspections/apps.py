from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Inspections and clue transfers")

    def ready(self):
        # Sealed free text is revealed through the scopes the pages use.
        from django.db.models import Q

        from portal.reveal import register_scope

        from . import models as m
        from . import selectors as s

        register_scope(m.PlatformInspection, s.inspections_visible_to)
        register_scope(m.InspectionItem, s.inspections_visible_to, via="inspection")
        register_scope(m.DocumentRequest, s.document_requests_visible_to)
        register_scope(m.RectificationOrder, s.rectification_orders_visible_to)
        register_scope(m.RectificationReport, s.rectification_orders_visible_to, via="order")
        register_scope(m.Verification, s.rectification_orders_visible_to, via="order")
        register_scope(m.ClueTransfer, s.clues_visible_to)
        register_scope(m.Consultation, s.consultations_visible_to)
        register_scope(m.ConsultationOpinion, s.consultations_visible_to, via="consultation")
        register_scope(m.FollowUpAction, s.follow_ups_visible_to)
        register_scope(m.Interview, s.interviews_visible_to)

        def links_visible_to(user):
            return m.ClueLink.objects.filter(
                Q(transfer__in=s.clues_visible_to(user).values("pk"))
                | Q(consultation__in=s.consultations_visible_to(user).values("pk"))
            )

        register_scope(m.ClueLink, links_visible_to)

        # The sweep's reminders and overdue notices link to what each line is about.
        from portal.notifications import register_link

        register_link(
            m.PlatformInspection, scope=s.inspections_visible_to, url="inspections:inspection"
        )
        register_link(m.ClueTransfer, scope=s.clues_visible_to, url="inspections:clue")
        register_link(
            m.Consultation, scope=s.consultations_visible_to, url="inspections:consultation"
        )
