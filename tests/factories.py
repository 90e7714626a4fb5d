import factory
from django.contrib.auth import get_user_model

from accounts.models import Role, StaffMembership
from accounts.services import user_roles_sync
from editorial.models import Status
from goodpractices.models import GoodPractice
from potentials.models import Category, Potential, Theme
from regions.models import LegacyType, Membership, Partner, Project, Publication, Region


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")
    country = "DE"
    kind = Region.Kind.DISTRICT


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    slug = factory.Sequence(lambda n: f"partner-{n}")
    kind = Partner.Kind.REGIONAL_AUTHORITY
    country = "DE"
    region = factory.SubFactory(RegionFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"PRJ{n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    title = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = Membership.Role.PARTNER


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    theme = factory.SubFactory(ThemeFactory)
    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class LegacyTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegacyType

    name = factory.Sequence(lambda n: f"Legacy {n}")
    slug = factory.Sequence(lambda n: f"legacy-{n}")


class PotentialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Potential

    title = factory.Sequence(lambda n: f"Potential {n}")
    slug = factory.Sequence(lambda n: f"potential-{n}")
    summary = "A potential left by mining."
    region = factory.SubFactory(RegionFactory)
    category = factory.SubFactory(CategoryFactory)
    owner = factory.SubFactory(PartnerFactory)
    status = Status.PUBLISHED


class GoodPracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GoodPractice

    title = factory.Sequence(lambda n: f"Good practice {n}")
    slug = factory.Sequence(lambda n: f"good-practice-{n}")
    summary = "A case worth learning from."
    kind = GoodPractice.Kind.PILOT_PROJECT
    main_institution = factory.SubFactory(PartnerFactory)
    owner = factory.SelfAttribute("main_institution")
    status = Status.PUBLISHED


class StaffMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMembership

    user = factory.SubFactory(UserFactory)
    partner = factory.SubFactory(PartnerFactory)
    role = Role.EDITOR


def staff_user(partner, role=Role.EDITOR, **kwargs):
    """A user who works for `partner` in `role`, with the groups that go with it."""
    membership = StaffMembershipFactory(partner=partner, role=role, **kwargs)
    user_roles_sync(user=membership.user, by=None)
    return membership.user


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Publication {n}")
    slug = factory.Sequence(lambda n: f"publication-{n}")
    kind = Publication.Kind.THEMATIC_REPORT
    year = 2012
