"""Advice: the Quick-Check (CLI, API, page), the advisory record (Beratungsprotokoll) and the
information library. The legal answers come from ``lotse.rules``; this app only presents,
stores and prints them.
"""
