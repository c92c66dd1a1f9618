"""The rule numbers of sporadic works (convention 15).

Registration before the works start is the law: 《住宅室内装饰装修管理办法》 (Ministry of
Construction order no. 110, 2002), art. 13 (the owner declares the works to the property
management before they start) and 《上海市住宅物业管理规定》 (the owner tells the property
management and follows the decoration agreement). Art. 5 of the national measures forbids
changing the main structure or load-bearing parts without a design by the original design unit
(or one of equal qualification); changing a façade or enclosing a balcony needs the consent the
quarter's rules ask for. The numbers below are the sub-district's practice and editable.
"""

from django.utils.translation import gettext_lazy as _

from linli.core.parameters import Parameter, declare

PRACTICE = _("Practice of the sub-district (decoration management agreements)")

INSPECTION_DAYS = "works.inspection_working_days"
LONGEST_DAYS = "works.longest_period_days"
WASTE_MAX = "works.waste_max_m3"

declare(
    Parameter(
        key=INSPECTION_DAYS,
        label=_("Sporadic works: working days after the start by which the site inspection is due"),
        default=3,
        source=_(
            "Measures on the Management of Residential Interior Decoration (2002), art. 13 "
            "(registration before the works); the days are the sub-district's practice"
        ),
        unit=_("working days"),
        minimum=1,
        maximum=30,
    ),
    Parameter(
        key=LONGEST_DAYS,
        label=_("Sporadic works: longest period one registration covers"),
        default=180,
        source=PRACTICE,
        unit=_("days"),
        minimum=7,
        maximum=730,
    ),
    Parameter(
        key=WASTE_MAX,
        label=_("Sporadic works: most renovation waste one removal takes"),
        default=10,
        source=_("Practice of the renovation-waste haulier (one truck)"),
        unit=_("m³"),
        minimum=1,
        maximum=100,
        decimal=True,
    ),
)
