"""Walk every URL pattern of the portal (``get_resolver``, recursively, DRF router
routes included) and fill its path parameters from the matrix world."""

import re
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "complaints:detail"
    pattern: str
    params: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.pattern.startswith("api/")


def _params(pattern) -> tuple[str, ...]:
    text = str(pattern)
    if hasattr(pattern, "converters") and pattern.converters:
        return tuple(pattern.converters)
    return tuple(re.findall(r"\(\?P<(\w+)>", text))


def routes(resolver=None, prefix="", namespace=None, params=()) -> list[Route]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += routes(
                entry, prefix + str(entry.pattern), space, params + _params(entry.pattern)
            )
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                continue
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            found.append(Route(name, prefix + str(entry.pattern), params + _params(entry.pattern)))
    # One route per name (DRF's format-suffix patterns repeat a name).
    unique = {}
    for route in found:
        unique.setdefault(route.name, route)
    return list(unique.values())


def client_for(world, role: str) -> Client:
    client = Client()
    if role in world.people:
        client.force_login(world.people[role], backend="django.contrib.auth.backends.ModelBackend")
    elif role in world.keys:
        client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {world.keys[role]}"
    return client


def url_of(route: Route, kwargs: dict) -> str:
    return reverse(route.name, kwargs=kwargs or None)
