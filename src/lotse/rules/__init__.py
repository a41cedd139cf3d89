"""Framework-free rules engine for the accelerated skilled-worker procedure (§ 81a AufenthG).

No Django import anywhere in this package: the web layer and the CLI both call into it.
"""

from __future__ import annotations
