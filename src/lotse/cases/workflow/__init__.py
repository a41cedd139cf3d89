"""The procedure of § 81a AufenthG as one state machine: every state, every step, who takes it.

Three django-fsm fields (``lotse.cases.models.Case``) carry the procedure:

* ``state``, the main line: advice → collecting documents → chamber completeness check (back to
  collecting with a list of gaps) → powers of attorney signed → forwarded to the ABH → intake
  (accepted, or returned to the chamber) → agreement concluded and fee paid → pre-approval issued →
  visa appointment requested → visa applied → visa issued (or refused) → entered → registered →
  residence permit applied → issued → onboarding → closed; plus the ends: withdrawn, terminated
  for lack of cooperation, requirements not met, pre-approval expired, visa refused, employment
  ended early.
* ``recognition_state`` and ``ba_state``, the two tracks the ABH runs in parallel while the main
  line stands at ``agreement_concluded`` (§ 81a Abs. 3 Nr. 2 and Nr. 4). A track the title does
  not need is ``not_required`` from the start and is shown as skipped, never faked. The
  pre-approval joins them: it is possible only when every required result is in (Abs. 3 Nr. 6).

Each ``Step`` below declares the parties that may take it (the party a user is in a case is
decided by ``lotse.access.case_party``), its guards (each failing with its own message), the
data it records, its legal basis, and the clock events it emits (event codes of
``lotse/clocks/data/clocks.toml``: a clock starts on its ``starts_on`` event and stops on its
``stops_on`` event). ``lotse.cases.services.case_transition`` runs a step: version check, party,
state, data, guards, then ``apply_step`` (the step's effect and its target state), the history
row, the clocks and the audit event in one transaction, and the e-mails after commit.

The package, by what a reader looks for:

* ``steps``: THE table of steps (``STEPS``, ``STEP_BY_NAME``) — start here to follow a step by name;
* ``base``: the vocabulary (parties, tracks, ``Step``, ``StepField``, the refusals);
* ``guards``: the conditions a step needs, each with its message;
* ``effects``: what a step records, and ``apply_step``, the explicit dispatch by the table;
* ``cleaning``: the cleaning of the data a step records;
* ``reading``: who may take which step, the next steps, who acts now.

Nothing is attached to ``Case`` at start-up: the state fields stay protected django-fsm fields, and
``effects.set_track`` sets them the way django-fsm does, after the table's source check.
"""

from lotse.cases.checklist import checklist_gaps
from lotse.cases.workflow.base import (
    ABH,
    ANY_PARTY,
    AWAIT_BA,
    AWAIT_BODY,
    AWAIT_MISSION,
    AWAIT_WORKER,
    BA_SATISFIED,
    BEFORE_ENTRY,
    CHAMBER,
    COMPANY,
    COMPANY_OR_CHAMBER,
    ENDED,
    MAIN_LINE,
    NOTE,
    OCCURRED_ON,
    OPEN_STATES,
    PARTY_LABELS,
    REASON,
    RECOGNITION_SATISFIED,
    REFERENCE,
    TITLES_ACCEPTING_PARTIAL,
    UNITS,
    Event,
    FieldKind,
    Guard,
    GuardFailedError,
    Kind,
    NotYourStepError,
    Party,
    Step,
    StepField,
    StepInput,
    StepRefusedError,
    Track,
    UnknownStepError,
    WrongStateError,
    party_labels,
    state_label,
    track_state,
)
from lotse.cases.workflow.cleaning import clean_data, preceding, step_date
from lotse.cases.workflow.effects import apply_step, clock_events, set_track
from lotse.cases.workflow.reading import (
    available_steps,
    ba_required_initially,
    history_label,
    is_ended,
    next_steps,
    recognition_required_initially,
    refusal,
    who_acts,
)
from lotse.cases.workflow.steps import STEP_BY_NAME, STEP_NAMES, STEPS

__all__ = [
    "ABH",
    "ANY_PARTY",
    "AWAIT_BA",
    "AWAIT_BODY",
    "AWAIT_MISSION",
    "AWAIT_WORKER",
    "BA_SATISFIED",
    "BEFORE_ENTRY",
    "CHAMBER",
    "COMPANY",
    "COMPANY_OR_CHAMBER",
    "ENDED",
    "MAIN_LINE",
    "NOTE",
    "OCCURRED_ON",
    "OPEN_STATES",
    "PARTY_LABELS",
    "REASON",
    "RECOGNITION_SATISFIED",
    "REFERENCE",
    "STEPS",
    "STEP_BY_NAME",
    "STEP_NAMES",
    "TITLES_ACCEPTING_PARTIAL",
    "UNITS",
    "Event",
    "FieldKind",
    "Guard",
    "GuardFailedError",
    "Kind",
    "NotYourStepError",
    "Party",
    "Step",
    "StepField",
    "StepInput",
    "StepRefusedError",
    "Track",
    "UnknownStepError",
    "WrongStateError",
    "apply_step",
    "available_steps",
    "ba_required_initially",
    "checklist_gaps",
    "clean_data",
    "clock_events",
    "history_label",
    "is_ended",
    "next_steps",
    "party_labels",
    "preceding",
    "recognition_required_initially",
    "refusal",
    "set_track",
    "state_label",
    "step_date",
    "track_state",
    "who_acts",
]
