"""Signing in and out, and the two-factor step."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views_two_factor

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/two-factor/", views_two_factor.verify, name="two-factor-verify"),
    path("account/two-factor/", views_two_factor.enrol, name="two-factor-enrol"),
]
