"""Signing in and out, the two-factor step, and a department's staff."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views_staff, views_two_factor

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/two-factor/", views_two_factor.verify, name="two-factor-verify"),
    path("account/two-factor/", views_two_factor.enrol, name="two-factor-enrol"),
    path("accounts/staff/", views_staff.staff_list, name="staff-list"),
    path("accounts/staff/invite/", views_staff.staff_invite, name="staff-invite"),
    path("accounts/staff/<int:pk>/", views_staff.staff_member, name="staff-member"),
    path("accounts/staff/<int:pk>/<str:action>/", views_staff.staff_action, name="staff-action"),
    path(
        "accounts/invite/<uidb64>/<token>/",
        views_staff.InviteAcceptView.as_view(),
        name="invite-accept",
    ),
]
