"""Meal orders at the meal-assist points (助餐点) and community canteens of the sub-district.

A meal point is a registry facility of category ``meal_point``: its capacity is the number of
meals it serves a day, its operator the provider organisation that runs it. An order is one
meal (lunch or dinner) for one person of the residents registry on one day, eaten at the point
or delivered to the person's actual residence. Each order keeps the price and subsidy decided
when it was placed, with the rule-parameter versions used, so a later change of the subsidy
never rewrites an order already taken.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from linli.core import clock
from linli.core.models import TenantModel, scoped_manager
from linli.core.visibility import VisibleQuerySet
from linli.people.models import Dwelling, Person
from linli.registry.models import Facility

MEAL_POINT = Facility.Category.MEAL_POINT


class MealOrder(TenantModel):
    class Meal(models.TextChoices):
        LUNCH = "lunch", _("Lunch")
        DINNER = "dinner", _("Dinner")

    class Mode(models.TextChoices):
        DINE_IN = "dine_in", _("Dine in")
        DELIVERY = "delivery", _("Delivery")

    class Status(models.TextChoices):
        ORDERED = "ordered", pgettext_lazy("meal order", "Ordered")
        SERVED = "served", pgettext_lazy("meal order", "Served")
        CANCELLED = "cancelled", pgettext_lazy("meal order", "Cancelled")

    point = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="meal_orders",
        limit_choices_to={"category": MEAL_POINT},
        verbose_name=_("meal point"),
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="meal_orders", verbose_name=_("person")
    )
    day = models.DateField(_("day"))
    meal = models.CharField(_("meal"), max_length=6, choices=Meal.choices)
    mode = models.CharField(_("dine in or delivery"), max_length=8, choices=Mode.choices)
    # Where a delivery goes: the person's actual residence when the order was taken.
    deliver_to = models.ForeignKey(
        Dwelling,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deliver to"),
    )
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.ORDERED
    )
    price = models.DecimalField(_("price (yuan)"), max_digits=6, decimal_places=2)
    subsidy = models.DecimalField(_("subsidy (yuan)"), max_digits=6, decimal_places=2)
    # Whether the person lived in the sub-district (a dwelling here) on the day: subsidies
    # follow the actual residence, not the registered one.
    lives_here = models.BooleanField(_("lives in the sub-district"))
    age_band = models.PositiveSmallIntegerField(_("age band from"), null=True, blank=True)
    # The status (special hardship, minimum living allowance, low income) whose supplement was
    # added: sensitive, shown only to those who see sensitive tags.
    hardship = models.CharField(_("hardship status"), max_length=30, blank=True)
    rule_versions = models.JSONField(_("rule parameter versions used"), default=dict)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ordered by"),
    )
    ordered_at = models.DateTimeField(_("ordered at"), default=clock.stamp)
    served_at = models.DateTimeField(_("served at"), null=True, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("served by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cancelled by"),
    )

    objects = scoped_manager(VisibleQuerySet)  # type: ignore[misc]

    class Meta:
        verbose_name = _("meal order")
        verbose_name_plural = _("meal orders")
        ordering = ["day", "point", "meal", "person__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "person", "day", "meal"],
                condition=~Q(status="cancelled"),
                name="meals_one_order_a_meal",
            )
        ]
        indexes = [models.Index(fields=["subdistrict", "point", "day"], name="meals_point_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.get_meal_display()} · {self.person}"

    @property
    def payable(self) -> Decimal:
        return self.price - self.subsidy
