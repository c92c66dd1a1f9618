from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CasesConfig(appconfig.LinliAppConfig):
    name = "linli.cases"
    label = "cases"
    verbose_name = _("Cases")
    url_prefix = "cases/"
    api_prefix = "cases"
    more_urls = {"open311/v2/": "linli.cases.open311"}

    def ready(self) -> None:
        from linli.cases import personal_data, tasks  # noqa: F401
        from linli.cases.calendar_changes import recompute_deadlines
        from linli.cases.public_map import is_on
        from linli.core import public_area
        from linli.core.work_calendar import work_calendar_changed

        # The public map of reports draws the base map and searches the places for anyone.
        public_area.register(is_on)

        # A holiday notice moves the deadlines of open cases that span its days.
        work_calendar_changed.connect(recompute_deadlines, dispatch_uid="cases.deadlines")
