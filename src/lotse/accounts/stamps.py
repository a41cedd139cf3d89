"""The stamp under which a session remembers whether its person must verify or enrol a second factor.

The middleware (lotse.accounts.middleware) remembers the answer in the session so that a
signed-in person costs no query per request. A session signed in before an administrator
required a second factor, or before the person (or an administrator) added or removed one, would
otherwise go on with the old answer: a member never asked to enrol, a second browser never asked
for the code. Each such change renews a value in the shared cache; the session keeps the value its
answer was worked out under and works it out again when they differ.

The values live in the shared cache (Redis in production, ADR 0018), which every process reads,
like the rate limits; several processes without it would each keep their own values, which is
why production with more than one process needs Redis (docs/configuration.md). A cache that has
lost a value yields a new one, and a cache that does not answer yields a new one per request:
both only cost the query the cache saved, never an old answer.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from lotse.accounts.models import User
from lotse.organisations.models import Organisation

log = logging.getLogger(__name__)


def _user_key(user_id: int) -> str:
    return f"lotse:second-factor:user:{user_id}"


def _organisation_key(organisation_id: int | None) -> str:
    return f"lotse:second-factor:organisation:{organisation_id or 0}"


def second_factor_stamp(*, user: User) -> str:
    keys = [_user_key(user.pk), _organisation_key(user.organisation_id)]
    try:
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                # add, not set: two processes that miss at once agree on one value.
                cache.add(key, uuid.uuid4().hex, timeout=None)
                found[key] = cache.get(key) or uuid.uuid4().hex
    except Exception:  # any cache failure: work the answer out afresh rather than fail
        log.warning("second-factor stamp: the cache did not answer", exc_info=True)
        found = {key: uuid.uuid4().hex for key in keys}
    # The person's role and organisation come with the row already loaded for the request; the
    # setting requires a second factor of whole roles.
    return ":".join(
        [
            *(str(found[key]) for key in keys),
            str(user.role),
            str(user.organisation_id),
            str(settings.LOTSE_REQUIRE_2FA),
        ]
    )


def second_factor_stamp_renew(
    *, user: User | None = None, organisation: Organisation | None = None
) -> None:
    """Call inside the transaction that changes a person's factors or an organisation's rule.

    The values are dropped after the commit: a request that worked out its answer between the
    drop and the commit would otherwise keep the old answer under the new stamp.
    """
    keys = []
    if user is not None:
        keys.append(_user_key(user.pk))
    if organisation is not None:
        keys.append(_organisation_key(organisation.pk))

    def drop() -> None:
        try:
            cache.delete_many(keys)
        except Exception:
            # Sessions signed in before keep their answer until they sign in again: said loudly.
            log.error("second-factor stamp not renewed: the cache did not answer", exc_info=True)

    transaction.on_commit(drop)
