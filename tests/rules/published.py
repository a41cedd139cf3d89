"""Published salary thresholds, typed in by hand from the BMI Bekanntmachungen (domain.md § 2.1).

This is the one test table to extend when the thresholds are rolled forward each January
(docs/rules.md, "Rolling the thresholds forward"): add the new year's row here and the new
period in src/lotse/rules/data/thresholds.toml. test_thresholds.py fails until both agree.
"""

from __future__ import annotations

from typing import Final

# year → amounts in EUR (gross per year)
PUBLISHED: Final[dict[int, dict[str, float]]] = {
    2024: {
        "blue_card_general": 45300.00,
        "blue_card_reduced": 41041.80,
        "experience_19c2": 40770.00,  # from 1 March 2024
        "age45": 49830.00,
    },
    2025: {
        "blue_card_general": 48300.00,
        "blue_card_reduced": 43759.80,
        "experience_19c2": 43470.00,
        "age45": 53130.00,
    },
    2026: {
        "blue_card_general": 50700.00,
        "blue_card_reduced": 45934.20,
        "experience_19c2": 45630.00,
        "age45": 55770.00,
    },
}

# Legal basis of each threshold, used in the test ids.
BASIS: Final[dict[str, str]] = {
    "blue_card_general": "s18g_abs1_s1_AufenthG",
    "blue_card_reduced": "s18g_abs1_s2_abs2_AufenthG",
    "experience_19c2": "s19c_abs2_AufenthG_s6_BeschV",
    "age45": "s18_abs2_nr5_AufenthG",
}
