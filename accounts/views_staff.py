"""``/accounts/staff/``: a department administrator manages their department's staff
(a site administrator, every department's): invite, deactivate and reactivate,
change role, reset two-factor sign-in. Each action asks first, on a page that
needs no script, and is recorded in the audit trail by its service."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from portal.access import object_permission_required
from portal.errors import DomainError

from . import services
from .forms import InviteSetPasswordForm, StaffConfirmForm, StaffInviteForm, StaffRoleForm
from .models import Department, Role
from .selectors import staff_visible_to

MANAGE = "accounts.manage_department_staff"

# action → (form, service, page heading, button, message after)
ACTIONS = {
    "deactivate": (
        StaffConfirmForm,
        services.staff_deactivate,
        gettext_lazy("Deactivate the account of %(name)s?"),
        gettext_lazy("Deactivate"),
        gettext_lazy("The account of %(name)s was deactivated."),
    ),
    "reactivate": (
        StaffConfirmForm,
        services.staff_reactivate,
        gettext_lazy("Reactivate the account of %(name)s?"),
        gettext_lazy("Reactivate"),
        gettext_lazy("The account of %(name)s was reactivated."),
    ),
    "role": (
        StaffRoleForm,
        services.staff_role_change,
        gettext_lazy("Change the role of %(name)s"),
        gettext_lazy("Change the role"),
        gettext_lazy("The role of %(name)s was changed."),
    ),
    "reset-two-factor": (
        StaffConfirmForm,
        services.staff_two_factor_reset,
        gettext_lazy("Reset the two-factor sign-in of %(name)s?"),
        gettext_lazy("Reset two-factor sign-in"),
        gettext_lazy(
            "The two-factor sign-in of %(name)s was reset: they set it up again at their "
            "next sign-in."
        ),
    ),
}


def _name(member) -> str:
    return member.get_full_name() or member.username


def _is_site_admin(user) -> bool:
    return bool(user.is_superuser or user.role == Role.SITE_ADMIN)


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET"])
def staff_list(request):
    user = request.user
    return render(
        request,
        "accounts/staff_list.html",
        {
            "members": staff_visible_to(user),
            "department": None if _is_site_admin(user) else user.department,
            "all_departments": _is_site_admin(user),
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_invite(request):
    user = request.user
    site_admin = _is_site_admin(user)
    if not site_admin and not user.department_id:
        raise Http404
    departments = Department.objects.filter(is_active=True) if site_admin else None
    form = StaffInviteForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            member = services.staff_invite(
                actor=user,
                department=data["department"] if site_admin else user.department,
                username=data["username"],
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "%(name)s was invited; the email with the link to set a password "
                    "goes to %(email)s."
                )
                % {"name": _name(member), "email": member.email},
            )
            return redirect("staff-member", pk=member.pk)
    return render(
        request,
        "accounts/staff_invite.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _add_errors(form, error: ValidationError) -> None:
    """A model's validation errors beside the form's fields where it has them."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@object_permission_required(MANAGE)
@require_http_methods(["GET"])
def staff_member(request, pk: int):
    member = get_object_or_404(staff_visible_to(request.user), pk=pk)
    return render(
        request,
        "accounts/staff_member.html",
        {"member": member, "is_self": member.pk == request.user.pk},
    )


@login_required
@object_permission_required(MANAGE)
@require_http_methods(["GET", "POST"])
def staff_action(request, pk: int, action: str):
    member = get_object_or_404(staff_visible_to(request.user), pk=pk)
    if action not in ACTIONS:
        raise Http404
    form_class, service, heading, button, done = ACTIONS[action]
    if (action == "deactivate" and not member.is_active) or (
        action == "reactivate" and member.is_active
    ):
        return redirect("staff-member", pk=member.pk)
    initial = {"role": member.role} if action == "role" else None
    form = form_class(request.POST or None, initial=initial)
    name = _name(member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        extra = {"role": data["role"]} if action == "role" else {}
        try:
            service(actor=request.user, member=member, reason=data["reason"], **extra)
        except DomainError as error:
            form.add_error("role" if action == "role" else None, error.message)
        else:
            messages.success(request, done % {"name": name})
            return redirect("staff-member", pk=member.pk)
    return render(
        request,
        "accounts/staff_confirm.html",
        {
            "member": member,
            "form": form,
            "action": action,
            "heading": heading % {"name": name},
            "button": button,
            "is_self": member.pk == request.user.pk,
        },
        status=400 if form.errors else 200,
    )


class InviteAcceptView(auth_views.PasswordResetConfirmView):
    """The invitation's link: the invitee sets their password, then signs in."""

    template_name = "accounts/invite_accept.html"
    form_class = InviteSetPasswordForm
    success_url = reverse_lazy("login")
    reset_url_token = "set-password"  # noqa: S105 (a URL segment, not a secret)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Sign in with it now."))
        return response
