from django.utils.translation import gettext_lazy as _

from linli.core import appconfig


class CoreConfig(appconfig.LinliAppConfig):
    name = "linli.core"
    label = "core"
    verbose_name = _("Core")
    url_prefix = ""

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from linli.core import signals  # noqa: F401

        # Each app's rules.py registers its personal fields (linli.core.personal_data); import
        # them all at start-up so the unmask view and the purge know every field.
        autodiscover_modules("rules")
        # Each app's audit.py declares its audit actions (linli.core.audit.declare).
        autodiscover_modules("audit")
        # Each app's parameters.py declares its rule numbers (linli.core.parameters.declare).
        autodiscover_modules("parameters")
        # Each app's data_rights.py registers the models that name a person and the purposes
        # it needs consent for (linli.core.data_rights, linli.core.consent).
        autodiscover_modules("data_rights")
        # Each app's workbench.py registers its panels of the home page (linli.core.workbench);
        # core's own is the administrators' operations panel.
        from linli.core import operations  # noqa: F401

        autodiscover_modules("workbench")
        # Each app's timeline.py registers its providers of an enterprise's or a person's
        # timeline (linli.core.timelines).
        autodiscover_modules("timeline")
        # Each app's map_layers.py may add its layers to the area map
        # (linli.registry.map_layers.on_the_area_map).
        autodiscover_modules("map_layers")
