"""Framework-free rules engine for the accelerated skilled-worker procedure (§ 81a AufenthG).

No Django import anywhere in this package: the web layer, the API and the CLI all call into it.
See docs/rules.md for every rule with its legal basis and source.
"""

from __future__ import annotations

from lotse.rules.profile import FieldProblem, Profile, ProfileError, parse_profile
from lotse.rules.quickcheck import QuickCheckResult, evaluate, evaluate_data, ruleset_version
from lotse.rules.thresholds import NoThresholdsError

__all__ = [
    "FieldProblem",
    "NoThresholdsError",
    "Profile",
    "ProfileError",
    "QuickCheckResult",
    "evaluate",
    "evaluate_data",
    "parse_profile",
    "ruleset_version",
]
