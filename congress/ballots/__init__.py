"""The secret ballot, built once for every vote in the product: ``rules`` (the ballot
forms), ``sealing`` (keys and sealed ballots), ``services`` (open, cast, paper double
entry, close, discard, recount), ``selectors`` (the published list, receipts),
``outcomes`` (pluggable outcome rules). The models are ``congress/models/ballots.py``."""
