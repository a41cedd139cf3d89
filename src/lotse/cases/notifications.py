"""E-mail to the company contacts and the chamber advisor when a case changes, in their language."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from lotse.accounts.models import Role, User
from lotse.cases.models import Case, CaseTransition

logger = logging.getLogger(__name__)


def recipients(case: Case) -> list[User]:
    """The company's active staff and the case's advisor (the chamber's leads while none is named)."""
    people = list(
        User.objects.filter(
            organisation_id=case.company_id,
            is_active=True,
            role__in=(Role.COMPANY_ADMIN, Role.COMPANY_HR),
        )
    )
    if case.advisor_id is not None and case.advisor is not None and case.advisor.is_active:
        people.append(case.advisor)
    else:
        people.extend(
            User.objects.filter(
                organisation_id=case.chamber_id, is_active=True, role=Role.CHAMBER_LEAD
            )
        )
    return people


def notify(*, case_id: int, transition_id: int | None) -> int:
    """Send one e-mail per recipient; runs after commit, so a failure never undoes the step."""
    case = Case.objects.select_related("company", "chamber", "advisor", "authority").get(pk=case_id)
    step = CaseTransition.objects.filter(pk=transition_id).first() if transition_id else None
    url = settings.LOTSE_SITE_URL.rstrip("/") + reverse("cases:detail", args=[case.pk])
    messages = []
    for person in recipients(case):
        if step is not None and step.actor_id == person.pk:
            continue
        with translation.override(person.language or "de"):
            context = {"case": case, "step": step, "person": person, "url": url}
            subject = render_to_string("cases/email/step_subject.txt", context).strip()
            body = render_to_string("cases/email/step.txt", context)
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [person.email]))
    try:
        return send_mass_mail(tuple(messages), fail_silently=False)
    except OSError:
        logger.exception("could not send the e-mails for case %s", case.reference)
        return 0
