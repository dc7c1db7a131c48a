from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and reports")

    def ready(self):
        # A due date the kernel recomputed (a calendar year loaded, a calendar day
        # changed) goes on the case's timeline with its old and new dates.
        from portal.services import due_date_moved

        due_date_moved.connect(_record_moved, dispatch_uid="complaints-due-date-moved")

        # Sealed free text is revealed through the scopes the pages use.
        from portal.reveal import register_scope

        from .models import Complaint, MaterialRequest, PlatformForward
        from .selectors import complaints_visible_to

        register_scope(Complaint, complaints_visible_to)
        register_scope(MaterialRequest, complaints_visible_to, via="complaint")
        register_scope(PlatformForward, complaints_visible_to, via="complaint")

        # Its emails go out by the kernel's send task: consumers' are rendered when
        # sent; staff's and officers' link to the case or the forwarded case.
        from portal.notifications import register_kind, register_link

        from . import notifications
        from .selectors import forwards_for_platform

        register_kind(notifications.CONSUMER_KIND, render=notifications.render)
        register_kind(notifications.ASSIGNED_KIND, about="complaints.complaint")
        register_kind(notifications.ANSWERED_KIND, about="complaints.complaint")
        register_kind(notifications.FORWARDED_KIND, about="complaints.platformforward")
        register_link(Complaint, scope=complaints_visible_to, url="complaints:detail")
        register_link(PlatformForward, scope=forwards_for_platform, url="complaints:forward")


def _record_moved(sender, *, deadline, old_due_on, reason, actor, action, **kwargs):
    if action != "deadline.recomputed":
        return  # the exclusion and extension services write their own lines
    from .services.workflow import due_date_moved_record

    due_date_moved_record(deadline=deadline, old_due_on=old_due_on, reason=reason, actor=actor)
