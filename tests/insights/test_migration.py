"""Migration insights 0002: the old fine rollups are folded into the rows per scope and filter."""

from __future__ import annotations

import datetime as dt

from tests.conftest import Migrator

OLD = [("insights", "0001_case_facts_rollups_published"), ("cases", "0004_case_history_append_only_triggers"),
       ("organisations", "0001_initial")]  # fmt: skip
NEW = [("insights", "0002_filters_company_size_country")]


def test_the_old_fine_rows_become_rows_per_scope_and_single_filter(migrator: Migrator) -> None:
    apps = migrator.migrate(OLD)
    rollup = apps.get_model("insights", "MonthlyRollup")
    month = dt.date(2026, 1, 1)
    figures = {"events": {"started": 2}, "durations": {"whole": {"10": 1}}, "returned": 1,
               "requests": 0, "clocks": {"visa_decision": [1, 2]}}  # fmt: skip
    for title, forwarded in (("18a", True), ("18b", False)):
        rollup.objects.create(month=month, chamber_id=7, authority_id=9, forwarded=forwarded,
                              title=title, recognition_body_id=None, occupation_group="",
                              coarse=False, figures=figures)  # fmt: skip
    rollup.objects.create(month=month, chamber_id=7, authority_id=9, forwarded=True, title="",
                          coarse=True, figures=figures)  # fmt: skip
    apps = migrator.migrate(NEW)
    rows = apps.get_model("insights", "MonthlyRollup").objects
    chamber = rows.filter(chamber_id=7, authority_id=0, forwarded=False)
    assert chamber.get(dimension="").figures["events"] == {"started": 4}
    assert chamber.get(dimension="title", title="18a").figures["clocks"] == {
        "visa_decision": [1, 2]}  # fmt: skip
    assert chamber.get(dimension="company_size", company_size="").figures["returned"] == 2
    abh = rows.filter(chamber_id=0, authority_id=9, forwarded=True)
    assert abh.get(dimension="").figures["events"] == {"started": 2}  # only the forwarded 18a
    assert not rows.filter(chamber_id=7, authority_id=9).exists()  # the old rows are gone
