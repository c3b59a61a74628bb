"""Gap analysis: where community assets and public services are thin relative to people.

GeoDataFrames in (EPSG:4326), plain data out. Nothing here touches the database or the web:
`assetmap.reports` and `assetmap.cli` feed these functions and present what they return.
"""

from assetmap.gaps.analysis import analyse_gaps
from assetmap.gaps.result import GapResult

__all__ = ["GapResult", "analyse_gaps"]
