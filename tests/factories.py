from __future__ import annotations

from typing import Any

import factory

from lotse.accounts.models import Role, User
from lotse.organisations.models import ChamberMembership, Organisation, OrganisationKind, Site


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.COMPANY
    code = factory.Sequence(lambda n: f"company-{n}")
    name = factory.Sequence(lambda n: f"Testfirma {n} GmbH")
    legal_form = "GmbH"
    chamber_membership = ChamberMembership.IHK

    @factory.post_generation
    def served_by(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.served_by.set(extracted)


class ChamberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.CHAMBER
    code = factory.Sequence(lambda n: f"chamber-{n}")
    name = factory.Sequence(lambda n: f"Kammer {n}")
    chamber_kind = "ihk"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = OrganisationKind.AUTHORITY
    code = factory.Sequence(lambda n: f"abh-{n}")
    name = factory.Sequence(lambda n: f"Ausländerbehörde {n}")
    authority_kind = "abh"


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    company = factory.SubFactory(CompanyFactory)
    label = "Werk"
    street = "Hauptstraße 1"
    postcode = "71679"
    municipality = "Asperg"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.COMPANY_HR
    organisation = factory.SubFactory(CompanyFactory)
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()
