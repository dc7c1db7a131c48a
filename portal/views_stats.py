"""The public statistics page: anonymised counts, no login."""

from django.shortcuts import render

from .dashboards import public_statistics


def statistics(request):
    return render(request, "portal/statistics.html", public_statistics())
