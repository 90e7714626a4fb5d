import io

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role, StaffMembership
from accounts.services import user_roles_sync
from core.images import Licence
from editorial.models import Status
from goodpractices.models import GoodPractice, GoodPracticeImage
from potentials.models import Category, Potential, PotentialImage, Theme
from regions.models import (
    LegacyType,
    Membership,
    Partner,
    PartnerImage,
    Project,
    Publication,
    Region,
    RegionImage,
)


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


def picture_file(
    name: str = "picture.jpg", size=(800, 600), kind: str = "JPEG", **save_options
) -> SimpleUploadedFile:
    """An uploaded picture Pillow really made: `kind` is its real format."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 90)).save(buffer, kind, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue())


class _RecordImageFactory(factory.django.DjangoModelFactory):
    image = factory.LazyFunction(picture_file)
    alt = factory.Sequence(lambda n: f"A lake in a former open pit, view {n}")
    credit = "Jana Nováková"
    licence = Licence.CC_BY


class PotentialImageFactory(_RecordImageFactory):
    class Meta:
        model = PotentialImage

    potential = factory.SubFactory(PotentialFactory)


class GoodPracticeImageFactory(_RecordImageFactory):
    class Meta:
        model = GoodPracticeImage

    good_practice = factory.SubFactory(GoodPracticeFactory)


class RegionImageFactory(_RecordImageFactory):
    class Meta:
        model = RegionImage

    region = factory.SubFactory(RegionFactory)


class PartnerImageFactory(_RecordImageFactory):
    class Meta:
        model = PartnerImage

    partner = factory.SubFactory(PartnerFactory)
