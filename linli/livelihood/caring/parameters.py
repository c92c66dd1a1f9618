"""The rule numbers of caring visits (convention 15), with the public sources of the defaults."""

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

MONTHLY = _(
    "Ministry of Civil Affairs et al., 关于加强农村留守老年人关爱服务工作的意见 and 上海市"
    "独居老人关爱服务 practice: living-alone elders visited at least monthly, every one of them"
)

declare(
    Parameter(
        key="caring.visit_every_days",
        label=_("Caring visit: at least one visit every"),
        default=30,
        source=MONTHLY,
        unit=_("days"),
        minimum=1,
        maximum=92,
    ),
    Parameter(
        key="caring.weather_visit_every_days",
        label=_("Caring visit in extreme weather: at least one visit every"),
        default=7,
        source=_(
            "Shanghai civil affairs: weekly contact with living-alone elders in heat, cold "
            "and typhoon warnings"
        ),
        unit=_("days"),
        minimum=1,
        maximum=30,
    ),
    Parameter(
        key="caring.min_age",
        label=_("Caring visits: age from which a person living alone is visited"),
        default=60,
        source=_("Law on the Protection of the Rights and Interests of the Elderly, art. 2"),
        unit=_("years"),
        minimum=50,
        maximum=100,
    ),
    Parameter(
        key="caring.remind_visitor_after_days",
        label=_("Overdue caring visit: remind the visitor after"),
        default=3,
        source=_("This platform's default"),
        unit=_("days overdue"),
        minimum=0,
        maximum=60,
    ),
    Parameter(
        key="caring.remind_committee_after_days",
        label=_("Overdue caring visit: tell the residents' committee after"),
        default=7,
        source=_("This platform's default"),
        unit=_("days overdue"),
        minimum=0,
        maximum=90,
    ),
    Parameter(
        key="caring.case_after_days",
        label=_("Overdue caring visit: open a case after"),
        default=14,
        source=_("This platform's default"),
        unit=_("days overdue"),
        minimum=1,
        maximum=120,
    ),
    Parameter(
        key="caring.companion_group_size",
        label=_("老伙伴计划: older elders per volunteer elder"),
        default=5,
        source=_(
            "Shanghai 老伙伴计划 (2012–): one younger elder volunteer to about five older elders"
        ),
        unit=_("persons"),
        minimum=1,
        maximum=15,
    ),
    Parameter(
        key="caring.companion_call_every_days",
        label=_("老伙伴计划: a phone call every"),
        default=7,
        source=_("Shanghai 老伙伴计划: weekly phone calls"),
        unit=_("days"),
        minimum=1,
        maximum=31,
    ),
)
