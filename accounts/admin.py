from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, StaffMembership, UserProfile
from accounts.services import user_language_set, user_roles_sync, user_staff_join

User = get_user_model()
Organisation = StaffMembership._meta.get_field("partner").related_model

ROLE_CHOICES = [("", _("— choose a role —")), *Role.choices]
LANGUAGE_CHOICES = [
    ("", _("English (the portal's main language)")),
    *[(code, name) for code, name in settings.LANGUAGES if code != "en"],
]
ROLE_HELP = StaffMembership._meta.get_field("role").help_text


def role_field() -> forms.ChoiceField:
    """A role is chosen, never assumed."""
    return forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, help_text=ROLE_HELP)


def language_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=capfirst(UserProfile._meta.get_field("language").verbose_name),
        choices=LANGUAGE_CHOICES,
        required=False,
        help_text=_("The language of the portal's e-mails to this user."),
    )


class StaffMembershipForm(forms.ModelForm):
    role = role_field()

    class Meta:
        model = StaffMembership
        fields = ("partner", "role")


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    form = StaffMembershipForm
    extra = 0
    autocomplete_fields = ("partner",)
    fields = ("partner", "role")
    verbose_name_plural = _("organisations and roles")


class StaffUserCreationForm(AdminUserCreationForm):
    """A new member of staff: who, for whom and in what role, then sign-in."""

    role = role_field()
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation._default_manager.order_by("name"),
        help_text=_("The partner organisation this person works for."),
    )
    language = language_field()

    class Meta(AdminUserCreationForm.Meta):
        fields = ("email", "username")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Notifications need somewhere to go.
        self.fields["email"].required = True


class StaffUserChangeForm(UserChangeForm):
    language = language_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].required = True
        if self.instance.pk is not None:
            self.initial["language"] = (
                UserProfile.objects.filter(user=self.instance)
                .values_list("language", flat=True)
                .first()
                or ""
            )


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Users with the organisations they work for and their role there; the
    groups follow the roles (accounts.services) and are never picked by hand."""

    add_form = StaffUserCreationForm
    form = StaffUserChangeForm
    change_form_template = "admin/accounts/user/change_form.html"
    inlines = [StaffMembershipInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active")
    list_filter = ("is_active", "is_superuser", "staff_memberships__role")
    add_fieldsets = (
        (
            _("Who, for whom, in what role"),
            {"fields": ("email", "role", "organisation", "language")},
        ),
        (
            _("Sign-in"),
            {"fields": ("username", "usable_password", "password1", "password2")},
        ),
    )
    fieldsets = (
        (None, {"fields": ("email", "language")}),
        (_("Sign-in"), {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (
            _("Important dates"),
            {"fields": ("last_login", "date_joined"), "classes": ("collapse",)},
        ),
    )

    def get_inline_instances(self, request, obj=None):
        # A new user's organisation and role are on the form itself.
        return super().get_inline_instances(request, obj) if obj else []

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        user_language_set(user=user, language=form.cleaned_data.get("language", ""))
        if change:
            user_roles_sync(user=user, by=request.user)
        else:
            user_staff_join(
                user=user,
                partner=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                by=request.user,
            )


class SuperuserOnlyMixin:
    """Technical records (sign-in tokens, lock-out logs, permission groups) are
    the administrators' only."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


def _superusers_only(model) -> None:
    if not admin.site.is_registered(model):
        return
    registered = type(admin.site._registry[model])
    admin.site.unregister(model)
    admin.site.register(
        model,
        type(registered.__name__, (SuperuserOnlyMixin, registered), {}),
    )


#: Registered by Django, django-axes and DRF before this app (INSTALLED_APPS).
TECHNICAL_MODELS = (
    "auth.Group",
    "authtoken.TokenProxy",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
)
for _label in TECHNICAL_MODELS:
    _superusers_only(apps.get_model(_label))
