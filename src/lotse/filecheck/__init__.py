"""Framework-free checks for uploaded documents (no Django import anywhere in this package).

* :mod:`lotse.filecheck.uploads`: what may be stored at all (type, structure, active
  content, virus scan).
* :mod:`lotse.filecheck.crypto`: the encryption-at-rest envelope with key rotation.
* :mod:`lotse.filecheck.mrz`: ICAO 9303 TD3 (passport) machine-readable zone.
* :mod:`lotse.filecheck.names`: transliteration-tolerant comparison of names and birth dates.
"""
