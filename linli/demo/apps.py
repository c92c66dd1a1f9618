from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo's orchestration and command; it has no models (and no pages to name it on)."""

    name = "linli.demo"
    label = "demo"
