"""Registration of the topic dossier and the supervision dashboard panel with the core (imported by SupervisionConfig.ready).

The dossier's routes are in ``dossier_urls.py`` (the project URLconf includes them); the
panel 专项监督 registers itself when its module is imported (docs/dashboard.md)."""

from supervision import dashboard  # noqa: F401  (registers the 专项监督 panel)
