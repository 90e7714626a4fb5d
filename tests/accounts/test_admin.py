"""The users' admin: who, for whom and in what role first; technical records
for administrators only."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import Role, StaffMembership, UserProfile
from tests.factories import PartnerFactory, UserFactory, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_add_form_asks_email_role_and_organisation_first_without_groups(
    client, root
):
    text = client.get(reverse("admin:auth_user_add")).text
    positions = [
        text.index(f'name="{name}"')
        for name in ("email", "role", "organisation", "username")
    ]
    assert positions == sorted(positions)
    assert 'name="groups"' not in text
    assert 'name="user_permissions"' not in text
    # No role is chosen for the admin: the first option is empty and selected.
    role = text[text.index('name="role"') :]
    role = role[: role.index("</select>")]
    assert '<option value="" selected>' in role


def test_adding_a_user_makes_them_staff_of_the_organisation_in_the_role(client, root):
    partner = PartnerFactory()
    data = {
        "email": "new@example.org",
        "role": Role.MODERATOR,
        "organisation": partner.pk,
        "language": "pl",
        "username": "newcomer",
        "usable_password": "true",
        "password1": "a-long-test-password-7",
        "password2": "a-long-test-password-7",
    }
    missing_role = client.post(reverse("admin:auth_user_add"), {**data, "role": ""})
    assert missing_role.status_code == 200
    assert "This field is required" in missing_role.text
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 302
    membership = StaffMembership.objects.get(user__username="newcomer")
    assert (membership.partner, membership.role) == (partner, Role.MODERATOR)
    user = membership.user
    assert user.is_staff and user.email == "new@example.org"
    assert list(user.groups.values_list("name", flat=True)) == ["Moderators"]
    assert UserProfile.objects.get(user=user).language == "pl"


def test_the_change_form_shows_email_and_roles_before_sign_in_and_no_groups(
    client, root
):
    user = staff_user(PartnerFactory())
    text = client.get(reverse("admin:auth_user_change", args=[user.pk])).text
    assert text.index('name="email"') < text.index("staff_memberships-TOTAL_FORMS")
    assert text.index("staff_memberships-TOTAL_FORMS") < text.index('name="username"')
    assert 'name="groups"' not in text
    # The empty form for another membership has no role picked either.
    empty = text[text.index('name="staff_memberships-__prefix__-role"') :]
    empty = empty[: empty.index("</select>")]
    assert '<option value="" selected>' in empty


@pytest.mark.parametrize(
    "model",
    ["authtoken_tokenproxy", "axes_accessattempt", "axes_accesslog", "auth_group"],
)
def test_technical_models_are_for_superusers_only(client, root, model):
    url = reverse(f"admin:{model}_changelist")
    assert client.get(url).status_code == 200
    moderator = staff_user(PartnerFactory(), role=Role.MODERATOR)
    app_label, model_name = model.split("_", 1)
    # Even a moderator given every permission on them does not see them.
    moderator.user_permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label)
    )
    client.force_login(moderator)
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("admin:index")).text
    assert Group.objects.exists()
