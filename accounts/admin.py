from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Department, Platform, PlatformApiKey, Region, User
from .services import api_key_issue, api_key_revoke


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


@admin.register(PlatformApiKey)
class PlatformApiKeyAdmin(admin.ModelAdmin):
    """Keys are issued through the service: the key is shown once, in a message."""

    list_display = [
        "name",
        "platform",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["platform"]
    fields = ["platform", "name", "expires_at"]
    autocomplete_fields = ["platform"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        key, raw = api_key_issue(
            platform=obj.platform, name=obj.name, actor=request.user, expires_at=obj.expires_at
        )
        obj.pk = key.pk
        messages.warning(
            request,
            _("The key “%(name)s” is %(key)s — copy it now: it will not be shown again.")
            % {"name": key.name, "key": raw},
        )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request, queryset):
        for key in queryset:
            api_key_revoke(key=key, actor=request.user, reason="admin")
        messages.info(request, _("%(n)s keys revoked.") % {"n": queryset.count()})
