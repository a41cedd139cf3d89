"""Password sign-in (Django's ModelBackend) that loads the signed-in person with their
organisation: every page shows and checks the organisation, which was a second query per
request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from lotse.accounts.models import User


class OrganisationModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
