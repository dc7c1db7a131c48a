from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Department, Platform, Region, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "region", "is_active"]
    list_filter = ["type", "region__level", "is_active"]
    search_fields = ["name", "name_en", "region__name"]
    autocomplete_fields = ["region"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "domicile", "is_active"]
    search_fields = ["name", "name_en", "uscc"]
    autocomplete_fields = ["domicile"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "department", "platform", "is_active"]
    list_filter = ["groups", "is_active", "department__type"]
    autocomplete_fields = ["department", "platform"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Organisation"), {"fields": ("department", "platform")}),
    )
