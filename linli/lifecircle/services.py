"""Life-circle verbs: import a walking network, switch versions, seed and edit the standards.

Reading a network is the slow, failure-prone part, so it happens before anything is written:
the upload is parsed in a temporary directory, and only a network that came out whole is
stored, in one transaction that also moves ``is_current`` to it. A bad file therefore leaves
the current network exactly as it was.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from linli.core import audit, limits
from linli.core.access import Access
from linli.core.geo import as_geometry
from linli.core.models import Subdistrict
from linli.lifecircle import engine, network_store, rules
from linli.lifecircle.engine import basemap as engine_basemap
from linli.lifecircle.models import FacilityStandard, LifeCircleSettings, WalkNetworkVersion

logger = logging.getLogger(__name__)

Source = WalkNetworkVersion.Source

# An OpenStreetMap extract of a whole district is tens of MB; a city is far beyond what one
# sub-district needs (the network is clipped to the boundary plus 1 km anyway).
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# What a compressed extract (.osm.pbf, .osm.gz, .osm.bz2) may unpack to, counted before it is
# read. A real PBF unpacks to two or three times its size, so every file under the upload limit
# fits; zlib can reach a thousand times, which is what this stops.
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
UPLOAD_KINDS = (Source.OSM_PBF, Source.OSM_XML, Source.GEOJSON)
# GeoJSON properties that make a line a barrier (a river, a railway, a wall) and not a street.
BARRIER_KEYS = ("waterway", "railway", "barrier")


class NetworkUploadError(Exception):
    """A file that cannot become the walking network; ``message`` is in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- the walking network --------------------------------------------------------------------


def kind_for_filename(name: str) -> str | None:
    lower = name.lower()
    if lower.endswith(".pbf"):
        return str(Source.OSM_PBF)
    if lower.endswith((".osm", ".xml", ".osm.gz", ".osm.bz2")):
        return str(Source.OSM_XML)
    if lower.endswith((".geojson", ".json")):
        return str(Source.GEOJSON)
    return None


def _temp_suffix(kind: str, name: str) -> str:
    # pyosmium picks its parser from the suffix, and uploads keep only the name the user gave.
    if kind == Source.OSM_PBF:
        return ".osm.pbf"
    if kind == Source.OSM_XML:
        lower = name.lower()
        return (
            ".osm.gz" if lower.endswith(".gz") else ".osm.bz2" if lower.endswith(".bz2") else ".osm"
        )
    return ".geojson"


def _engine_reason(exc: Exception) -> str:
    """The engine's (English, technical) message as something a planner can act on."""
    text = str(exc)
    if "the file is empty" in text:
        return _("The file is empty.")
    if "not a readable OpenStreetMap file" in text:
        return _("This is not a readable OpenStreetMap file (.osm.pbf or .osm XML).")
    if "no walkable ways" in text:
        return _("The OpenStreetMap file has no ways a pedestrian may use.")
    if "invalid JSON" in text or "UTF-8" in text:
        return _("The file is not valid JSON text.")
    if "not a GeoJSON" in text or "FeatureCollection without" in text:
        return _("The file is not GeoJSON.")
    if "no walkable LineString" in text or "no walkable lines" in text:
        return _("The GeoJSON file has no walkable lines.")
    if "coordinates" in text:
        return _("The coordinates are not longitude/latitude in degrees (WGS84).")
    if "no walkable edges left inside the area" in text:
        return _("None of the file's streets lie within 1 km of the sub-district's boundary.")
    return _("The file could not be read as a walking network.")


def _fail(file_name: str, reason: str) -> NetworkUploadError:
    return NetworkUploadError(
        _("%(file)s: %(reason)s The current walking network is unchanged.")
        % {"file": file_name, "reason": reason}
    )


def _split_geojson(path: Path, file_name: str) -> tuple[Any, list[Any]]:
    """Streets and barriers of a GeoJSON file: rivers and railways cut streets, not carry them."""
    try:
        obj = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(file_name, _("The file is not valid JSON text.")) from exc
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        return obj, []
    streets: list[Any] = []
    barriers: list[Any] = []
    for feature in obj.get("features") or []:
        props = feature.get("properties") if isinstance(feature, dict) else None
        is_barrier = (
            isinstance(props, dict)
            and "highway" not in props
            and any(props.get(key) for key in BARRIER_KEYS)
        )
        (barriers if is_barrier else streets).append(feature)
    return {**obj, "features": streets}, barriers


def _read_upload(
    path: Path, kind: str, file_name: str, boundary: Any
) -> tuple[engine.WalkNetwork, dict[str, Any]]:
    """The walking network of the file and its base map (streets, buildings, water, green)."""
    try:
        if kind == Source.GEOJSON:
            source, barriers = _split_geojson(path, file_name)
            geometries = [f.get("geometry") for f in barriers if f.get("geometry")]
            network = engine.read_geojson(
                source, clip_polygon=boundary, barriers=geometries or None
            )
            streets = (source.get("features") or []) if isinstance(source, dict) else []
            return network, engine_basemap.geojson_basemap(streets, barriers, clip_polygon=boundary)
        network = engine.read_osm(
            path, clip_polygon=boundary, max_unpacked_bytes=MAX_UNPACKED_BYTES
        )
        return network, engine_basemap.read_osm_basemap(
            path, boundary, max_unpacked_bytes=MAX_UNPACKED_BYTES
        )
    except engine.UnpackedTooLarge as exc:
        logger.info("walking network upload %s refused: %s", file_name, exc)
        raise _fail(
            file_name,
            _("The file unpacks to more than %(size)s MB; cut the extract to the district first.")
            % {"size": exc.limit // (1024 * 1024)},
        ) from exc
    except engine.NetworkImportError as exc:
        logger.info("walking network upload %s refused: %s", file_name, exc)
        raise _fail(file_name, _engine_reason(exc)) from exc
    except (ValueError, OSError, RuntimeError, KeyError, TypeError) as exc:
        # The readers turn known problems into NetworkImportError; anything else is still a bad
        # file from the user's point of view, and must not become a server error.
        logger.warning("walking network upload %s failed unexpectedly: %r", file_name, exc)
        raise _fail(file_name, _("The file could not be read as a walking network.")) from exc


def import_network(
    subdistrict: Subdistrict, uploaded_file: Any, *, kind: str, actor: Access
) -> WalkNetworkVersion:
    """Read an uploaded OSM or GeoJSON file into the sub-district's current walking network.

    ``uploaded_file`` is a Django ``UploadedFile`` (or anything with ``name`` and ``chunks()``
    or ``read()``). Raises :class:`NetworkUploadError` with a translated message; then nothing
    has been written.
    """
    actor.require(rules.can_manage_network(actor))
    file_name = PurePath(getattr(uploaded_file, "name", "") or "upload").name
    limit = limits.max_length(WalkNetworkVersion, "file_name")
    if len(file_name) > limit:
        # The name is kept with the version: a longer one is refused, never cut.
        raise _fail(file_name, limits.too_long(limit, len(file_name)))
    if kind not in UPLOAD_KINDS:
        raise _fail(file_name, _("Choose an OpenStreetMap (.osm.pbf, .osm) or GeoJSON file."))
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise _fail(
            file_name,
            _("The file is larger than %(size)s MB; cut the extract to the district first.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    boundary = as_geometry(subdistrict.boundary)
    if boundary is None:
        raise _fail(
            file_name,
            _("The sub-district has no boundary yet, so the network cannot be clipped to it."),
        )
    with tempfile.TemporaryDirectory(prefix="linli-network-upload-") as tmp:
        path = Path(tmp) / ("upload" + _temp_suffix(kind, file_name))
        written = _write_upload(uploaded_file, path, file_name)
        if written == 0:
            raise _fail(file_name, _("The file is empty."))
        network, base = _read_upload(path, kind, file_name, boundary)
    return store_network(
        subdistrict, network, source=kind, file_name=file_name, basemap=base, actor=actor
    )


def _write_upload(uploaded_file: Any, path: Path, file_name: str) -> int:
    written = 0
    with path.open("wb") as out:
        chunks: Iterable[bytes]
        if hasattr(uploaded_file, "chunks"):
            chunks = uploaded_file.chunks()
        else:
            stream: IO[bytes] = uploaded_file
            chunks = iter(lambda: stream.read(1024 * 1024), b"")
        for chunk in chunks:
            written += len(chunk)
            if written > MAX_UPLOAD_BYTES:
                raise _fail(
                    file_name,
                    _("The file is larger than %(size)s MB; cut the extract to the district first.")
                    % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
                )
            out.write(chunk)
    return written


def store_network(
    subdistrict: Subdistrict,
    network: engine.WalkNetwork,
    *,
    source: str,
    file_name: str = "",
    basemap: Mapping[str, Any] | None = None,
    actor: Access,
) -> WalkNetworkVersion:
    """Store a network as a new version and make it the current one, in one transaction.

    ``basemap`` is the offline base map of the same source (``engine.basemap``); without one,
    the base map is the network's own streets.
    """
    actor.require(rules.can_manage_network(actor))
    data = network_store.to_bytes(network)
    figures = network_store.summary(network)
    if basemap is None:
        basemap = engine_basemap.network_basemap(network, clip_polygon=subdistrict.boundary)
    base = engine_basemap.to_bytes(basemap)
    with transaction.atomic():
        _lock_versions(subdistrict)
        WalkNetworkVersion.objects.filter(subdistrict=subdistrict, is_current=True).update(
            is_current=False
        )
        version = WalkNetworkVersion.objects.create(
            subdistrict=subdistrict,
            source=source,
            file_name=file_name,
            data=data,
            sha256=network_store.digest(data),
            basemap=base,
            basemap_sha256=network_store.digest(base),
            created_by=actor.user,
            is_current=True,
            **figures,
        )
        audit.record(
            actor,
            "lifecircle.network.import",
            version,
            after={"source": source, "file_name": file_name, **figures},
        )
    return version


def use_network_version(version: WalkNetworkVersion, *, actor: Access) -> WalkNetworkVersion:
    """Make an earlier version current again (to undo an import that turned out wrong)."""
    actor.require(rules.can_manage_network(actor))
    with transaction.atomic():
        _lock_versions(version.subdistrict)
        previous = (
            WalkNetworkVersion.objects.filter(
                subdistrict_id=version.subdistrict_id, is_current=True
            )
            .values_list("pk", flat=True)
            .first()
        )
        if previous == version.pk:
            return version
        WalkNetworkVersion.objects.filter(
            subdistrict_id=version.subdistrict_id, is_current=True
        ).update(is_current=False)
        WalkNetworkVersion.objects.filter(pk=version.pk).update(is_current=True)
        version.is_current = True
        audit.record(
            actor,
            "lifecircle.network.use",
            version,
            before={"current_version": previous},
            after={"current_version": version.pk},
        )
    return version


def _lock_versions(subdistrict: Subdistrict) -> None:
    # Two imports at once must not both find "no current version" and both insert one; locking
    # the sub-district row serialises them (SQLite's IMMEDIATE transactions do so already).
    Subdistrict.objects.select_for_update().filter(pk=subdistrict.pk).first()


def current_version(subdistrict: Subdistrict) -> WalkNetworkVersion | None:
    return (
        WalkNetworkVersion.objects.filter(subdistrict=subdistrict, is_current=True)
        .defer("data", "basemap")
        .first()
    )


# -- standards and walking speeds -------------------------------------------------------------


def default_standard_rows(subdistrict: Subdistrict) -> list[FacilityStandard]:
    """The engine's defaults (DESIGN.md §6) as rows of the sub-district's table."""
    return [
        FacilityStandard(
            subdistrict=subdistrict,
            facility_type=s.key,
            tier_minutes=s.tier_minutes,
            threshold_m=round(s.threshold_m),
            weighting=s.weight,
            walker=s.group,
            capacity_unit=s.capacity_unit or "",
            source_note=s.source[:300],
            position=position,
        )
        for position, s in enumerate(engine.DEFAULT_STANDARDS)
    ]


def ensure_standards(subdistrict: Subdistrict) -> list[FacilityStandard]:
    """The sub-district's standards, seeded from the defaults on first use."""
    rows = list(FacilityStandard.objects.filter(subdistrict=subdistrict))
    have = {r.facility_type for r in rows}
    missing = [r for r in default_standard_rows(subdistrict) if r.facility_type not in have]
    if missing:
        # Two first requests at once may both seed; the unique key keeps one row per type.
        FacilityStandard.objects.bulk_create(missing, ignore_conflicts=True)
        rows = list(FacilityStandard.objects.filter(subdistrict=subdistrict))
    return rows


def settings_for(subdistrict: Subdistrict) -> LifeCircleSettings:
    found = LifeCircleSettings.objects.filter(subdistrict=subdistrict).first()
    if found is not None:
        return found
    LifeCircleSettings.objects.bulk_create(
        [LifeCircleSettings(subdistrict=subdistrict)], ignore_conflicts=True
    )
    return LifeCircleSettings.objects.get(subdistrict=subdistrict)


STANDARD_FIELDS = (
    "tier_minutes",
    "threshold_m",
    "weighting",
    "walker",
    "capacity_unit",
    "source_note",
)
SPEED_FIELDS = ("speed_all", "speed_elderly")


class StandardsInvalid(ValidationError):
    """Field errors per facility type (``errors``) and for the speeds (key ``"speeds"``)."""

    def __init__(self, errors: dict[str, dict[str, list[str]]]) -> None:
        super().__init__(
            [
                f"{key}.{name}: {m}"
                for key, f in errors.items()
                for name, ms in f.items()
                for m in ms
            ]
        )
        self.errors = errors


def update_standards(
    subdistrict: Subdistrict,
    rows: Mapping[str, Mapping[str, Any]],
    *,
    speeds: Mapping[str, Any] | None = None,
    actor: Access,
) -> list[FacilityStandard]:
    """Change standards (``{facility_type: {field: value}}``) and walking speeds, all or none."""
    actor.require(rules.can_edit_standards(actor))
    standards = {s.facility_type: s for s in ensure_standards(subdistrict)}
    settings_row = settings_for(subdistrict)
    errors: dict[str, dict[str, list[str]]] = {}
    changed: list[tuple[Any, dict[str, Any]]] = []
    for key, values in rows.items():
        standard = standards.get(key)
        if standard is None:
            errors[key] = {"facility_type": [_("Unknown facility type.")]}
            continue
        before = audit.snapshot(standard)
        for name in STANDARD_FIELDS:
            if name in values:
                setattr(standard, name, values[name])
        try:
            standard.full_clean(exclude=["subdistrict"])
        except ValidationError as exc:
            errors[key] = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            continue
        changed.append((standard, before))
    if speeds is not None:
        before = audit.snapshot(settings_row)
        for name in SPEED_FIELDS:
            if name in speeds:
                setattr(settings_row, name, speeds[name])
        try:
            settings_row.full_clean(exclude=["subdistrict"])
        except ValidationError as exc:
            errors["speeds"] = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            changed.append((settings_row, before))
    if errors:
        raise StandardsInvalid(errors)
    with transaction.atomic():
        for instance, before in changed:
            old, new = audit.changes(before, audit.snapshot(instance))
            if not new:
                continue
            instance.save()
            audit.record(actor, "lifecircle.standard.update", instance, before=old, after=new)
    return sorted(standards.values(), key=lambda s: (s.position, s.facility_type))


def reset_standards(subdistrict: Subdistrict, *, actor: Access) -> list[FacilityStandard]:
    """Back to DESIGN.md's values (the speeds too)."""
    defaults = {r.facility_type: r for r in default_standard_rows(subdistrict)}
    rows = {
        key: {name: getattr(row, name) for name in STANDARD_FIELDS} for key, row in defaults.items()
    }
    fresh = LifeCircleSettings()
    return update_standards(
        subdistrict,
        rows,
        speeds={name: getattr(fresh, name) for name in SPEED_FIELDS},
        actor=actor,
    )


def engine_standards(rows: Iterable[FacilityStandard]) -> list[engine.FacilityStandard]:
    defaults = engine.standards_by_key()
    out = []
    for row in sorted(rows, key=lambda r: (r.position, r.facility_type)):
        default = defaults.get(row.facility_type)
        out.append(
            engine.FacilityStandard(
                key=row.facility_type,
                label_zh=default.label_zh if default else row.facility_type,
                label_en=default.label_en if default else row.facility_type,
                tier_minutes=int(row.tier_minutes),
                threshold_m=float(row.threshold_m),
                source=row.source_note,
                group=row.walker,
                weight=row.weighting,
                capacity_unit=row.capacity_unit or None,
            )
        )
    return out


def engine_speeds(settings_row: LifeCircleSettings) -> engine.WalkingSpeeds:
    return engine.WalkingSpeeds(
        reference=1.0,
        speeds={"all": float(settings_row.speed_all), "elderly": float(settings_row.speed_elderly)},
    )


# -- the offline base map ---------------------------------------------------------------------


def current_basemap_tag(access: Access) -> str | None:
    """The ETag value of the sub-district's current base map, None without a network."""
    row = (
        WalkNetworkVersion.objects.visible_to(access, rules.BASEMAP)
        .filter(is_current=True)
        .values("sha256", "basemap_sha256")
        .first()
    )
    if row is None:
        return None
    # A version stored before base maps were extracted is drawn from its own streets.
    return row["basemap_sha256"] or f"net-{row['sha256']}"


def current_basemap(access: Access) -> bytes:
    """The current base map as stored (compact GeoJSON), an empty one without a network."""
    version = (
        WalkNetworkVersion.objects.visible_to(access, rules.BASEMAP)
        .filter(is_current=True)
        .defer("data")
        .first()
    )
    if version is None:
        return engine_basemap.to_bytes({"type": "FeatureCollection", "features": []})
    if version.basemap_sha256:
        return bytes(version.basemap)
    network = network_store.load(version)
    return engine_basemap.to_bytes(
        engine_basemap.network_basemap(network, clip_polygon=version.subdistrict.boundary)
    )
