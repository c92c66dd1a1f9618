"""The walking network of each sub-district, its planning standards and walking speeds.

The arrays of a network live in the database (``WalkNetworkVersion.data``, the engine's .npz
bytes) rather than in file storage: a sub-district's network with its 1 km ring is a few hundred
kilobytes compressed, it must change in the same transaction as the ``is_current`` switch (a
failed import or a rolled-back request then never leaves a current row pointing at a missing or
half-written file), every web and worker process reads it without shared storage, and database
backups and the demo reset cover it with nothing else to clean up.

The offline base map (streets, buildings, water, green areas: ``basemap``) is extracted from
the same file at the same import and kept on the same row, for the same reasons: switching back
to an earlier network brings back the base map of its file, and there is no file to go missing.
It is served as stored, so the bytes are compact GeoJSON and their SHA-256 is the ETag.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from linli.core import clock
from linli.core.models import TenantModel
from linli.registry.models import Facility


class WalkNetworkVersion(TenantModel):
    """One imported (or generated) walking network; exactly one per sub-district is current."""

    class Source(models.TextChoices):
        OSM_PBF = "osm_pbf", _("OpenStreetMap extract (.osm.pbf)")
        OSM_XML = "osm_xml", _("OpenStreetMap XML (.osm)")
        GEOJSON = "geojson", _("GeoJSON lines")
        DEMO = "demo", _("Generated demo network")

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    node_count = models.PositiveIntegerField(_("nodes"))
    edge_count = models.PositiveIntegerField(_("edges"))
    bridge_count = models.PositiveIntegerField(_("bridge edges"), default=0)
    length_km = models.FloatField(_("total length (km)"), default=0.0)
    bbox = models.JSONField(_("bounding box [west, south, east, north]"), default=list)
    data = models.BinaryField(_("network arrays (.npz)"), editable=False)
    sha256 = models.CharField(_("SHA-256 of the arrays"), max_length=64, editable=False)
    basemap = models.BinaryField(_("base map (GeoJSON)"), default=b"", editable=False)
    basemap_sha256 = models.CharField(
        _("SHA-256 of the base map"), max_length=64, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), default=clock.stamp)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    is_current = models.BooleanField(_("current"), default=False)

    class Meta:
        verbose_name = _("walking network version")
        verbose_name_plural = _("walking network versions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict"],
                condition=models.Q(is_current=True),
                name="walk_network_one_current",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class FacilityStandard(TenantModel):
    """The planning standard for one facility type: how far residents may have to walk."""

    class Tier(models.IntegerChoices):
        FIVE = 5, _("5-minute tier")
        TEN = 10, _("10-minute tier")
        FIFTEEN = 15, _("15-minute tier")

    class Weighting(models.TextChoices):
        POPULATION = "population", _("All residents")
        OVER_60 = "over_60", _("Residents over 60")

    class Walker(models.TextChoices):
        ALL = "all", _("Everyone")
        ELDERLY = "elderly", _("Elderly")

    class CapacityUnit(models.TextChoices):
        NONE = "", _("Not capacity-limited")
        PLACES = "places", _("Places")
        SEATS = "seats", _("Seats")
        DOCTORS = "doctors", _("Doctors")

    facility_type = models.CharField(
        _("facility type"), max_length=40, choices=Facility.Category.choices
    )
    tier_minutes = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    threshold_m = models.PositiveIntegerField(
        _("walking distance (m)"),
        validators=[MinValueValidator(50), MaxValueValidator(5000)],
    )
    weighting = models.CharField(
        _("weighted by"), max_length=12, choices=Weighting.choices, default=Weighting.POPULATION
    )
    walker = models.CharField(
        _("walking speed of"), max_length=10, choices=Walker.choices, default=Walker.ALL
    )
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=10, choices=CapacityUnit.choices, blank=True
    )
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("facility standard")
        verbose_name_plural = _("facility standards")
        ordering = ["position", "facility_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["subdistrict", "facility_type"], name="facility_standard_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_facility_type_display()} · {self.threshold_m} m"


class LifeCircleSettings(TenantModel):
    """Walking speeds per group. Thresholds assume 1.0 m/s; a slower group reaches less far."""

    speed_all = models.FloatField(
        _("walking speed, everyone (m/s)"),
        default=1.0,
        validators=[MinValueValidator(0.3), MaxValueValidator(2.5)],
    )
    speed_elderly = models.FloatField(
        _("walking speed, elderly (m/s)"),
        default=0.8,
        validators=[MinValueValidator(0.3), MaxValueValidator(2.5)],
    )

    class Meta:
        verbose_name = _("life-circle settings")
        verbose_name_plural = _("life-circle settings")
        constraints = [
            models.UniqueConstraint(fields=["subdistrict"], name="life_circle_settings_one")
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
