from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class PeopleConfig(appconfig.LinliAppConfig):
    name = "linli.people"
    label = "people"
    verbose_name = _("Residents and homes")
    url_prefix = "people/"
    api_prefix = "people"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from linli.people import personal_data, rules, tasks  # noqa: F401 - policies, fields, jobs
        from linli.people.tag_kinds import ensure_starting_kinds

        post_migrate.connect(ensure_starting_kinds, sender=self)
