"""The main navigation, by role. Each entry names a URL that the role may open."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lotse.access import statistics_scope_for
from lotse.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: Promise
    # URL names under this entry that mark it as the current page.
    section: str


def navigation_for(user: User) -> list[NavItem]:
    items = [NavItem("web:dashboard", _("Overview"), "dashboard")]
    if user.organisation_id is not None or user.is_platform_admin:
        items.append(NavItem("cases:list", _("Cases"), "cases"))
    if user.is_company_user or user.is_chamber_user:
        items.append(NavItem("advice:quickcheck", _("Quick-Check"), "quickcheck"))
    if user.is_chamber_user or user.is_platform_admin:
        items.append(NavItem("organisations:company_list", _("Companies"), "companies"))
    if user.organisation_id is not None:
        items.append(NavItem("organisations:own", _("My organisation"), "organisation"))
    if user.manageable_roles or user.is_platform_admin:
        items.append(NavItem("accounts:team", _("Team"), "team"))
    if statistics_scope_for(user=user) is not None:
        items.append(NavItem("insights:statistics", _("Statistics"), "statistics"))
    items.append(NavItem("advice:library", _("Information"), "library"))
    items.append(NavItem("organisations:directory", _("Directory"), "directory"))
    items.append(NavItem("audit:list", _("Activity log"), "audit"))
    return items
