"""JSON request bodies must hold text that can be stored.

JSON may escape a lone surrogate ("\\ud800"), which Python decodes but no UTF-8 database can
store: left alone it would fail deep in a save. Refused here, at parsing, it is one clear 400
naming the field, for every JSON endpoint.
"""

from __future__ import annotations

from flask.json.provider import DefaultJSONProvider

from assetmap.errors import AssetmapError


class UnstorableText(AssetmapError):
    """Text that is not valid Unicode. Not a ValueError on purpose: Flask's
    get_json(silent=True) would swallow that and report "not JSON" instead."""

    status = 400


def _first_bad_text(value, path: str = "") -> str | None:
    """The dotted path of the first string (key or value) UTF-8 cannot encode, or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "body"
        return None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(i), item) for i, item in enumerate(value))
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}" if path else key
        found = _first_bad_text(key, where) or _first_bad_text(item, where)
        if found:
            return found
    return None


class StorableTextJSON(DefaultJSONProvider):
    """Flask's JSON, refusing request bodies with text that is not valid Unicode."""

    def loads(self, s, **kwargs):
        data = super().loads(s, **kwargs)
        field = _first_bad_text(data)
        if field is not None:
            raise UnstorableText(f"{field} holds text that is not valid Unicode (a lone "
                                 "surrogate such as \\ud800); send UTF-8 text.", field=field)
        return data
