from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, QuerySet

from lotse.access import companies_visible_to
from lotse.organisations.models import Organisation, Site
from lotse.rules import directory

if TYPE_CHECKING:
    from lotse.accounts.models import User


def company_list_for(*, user: User) -> QuerySet[Organisation]:
    return (
        companies_visible_to(user=user)
        .prefetch_related(
            Prefetch("sites", queryset=Site.objects.select_related("authority")),
            "served_by",
        )
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name")
    )


def site_list(*, company: Organisation) -> QuerySet[Site]:
    return Site.objects.filter(company=company).select_related("authority")


def directory_authorities() -> QuerySet[Organisation]:
    return Organisation.objects.authorities().order_by("authority_kind", "name")


def directory_chambers() -> QuerySet[Organisation]:
    return Organisation.objects.chambers().order_by("name")


def directory_external_bodies() -> QuerySet[Organisation]:
    return Organisation.objects.external_bodies().order_by("name")


def municipalities_of(*, authority: Organisation) -> list[str]:
    return [m.name for m in directory.municipalities() if m.authority_code == authority.code]


def municipality_choices() -> list[tuple[str, str]]:
    return [(m.name, m.name) for m in directory.municipalities()]


def authority_cooperates(*, authority: Organisation, on: date) -> bool:
    return authority.cooperates_on(on)
