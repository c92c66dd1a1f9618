"""The versioned HTTP API: one NinjaAPI that mounts each app's router under /api/v1/."""

from linli.core.api import build_api

api = build_api()
