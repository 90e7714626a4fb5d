from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.models import StaffMembership
from accounts.services import user_roles_sync

User = get_user_model()


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ("partner",)
    fields = ("partner", "role")


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Users with the organisations they work for and their role there."""

    inlines = [StaffMembershipInline]
    list_filter = (*UserAdmin.list_filter, "staff_memberships__role")

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        user_roles_sync(user=form.instance, by=request.user)
