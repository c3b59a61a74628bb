"""A priority score for capacity building that a planner can explain, factor by factor.

Each factor is min-max normalised to 0..1 and oriented so that 1 means "more reason to
invest here": high need, low access (2SFCA), weak bridging ties. The score is the weighted
mean of the factors an area has; each factor's contribution (its share of that mean) is kept,
so the contributions add up to the score and the ranking can be read off the table.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from assetmap.errors import InvalidInput

FACTORS = ("need", "access", "bridging")
DEFAULT_WEIGHTS = {"need": 1.0, "access": 1.0, "bridging": 1.0}
LABELS = {
    "need": "Need: the area's need index (higher need, higher priority)",
    "access": "Low access: 2SFCA access to community assets (less access, higher priority)",
    "bridging": "Weak ties: bridging ties across groups (fewer ties, higher priority)",
}


def check_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Weights by factor name; unnamed factors keep the default weight of 1."""
    out = dict(DEFAULT_WEIGHTS)
    for key, value in (weights or {}).items():
        if key not in FACTORS:
            raise InvalidInput(
                f"unknown priority weight {key!r}; use {', '.join(FACTORS)}", field="weights"
            )
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InvalidInput(f"weight for {key} must be a number", field="weights") from None
        if not np.isfinite(number) or number < 0:
            raise InvalidInput(f"weight for {key} must be zero or more", field="weights")
        out[key] = number
    if sum(out.values()) == 0:
        raise InvalidInput("at least one priority weight must be above zero", field="weights")
    return out


def minmax(values: np.ndarray) -> np.ndarray:
    """(x - min) / (max - min), NaN kept; all zeros when every known value is the same."""
    values = np.asarray(values, dtype=float)
    known = values[~np.isnan(values)]
    if len(known) == 0:
        return values.copy()
    low, high = known.min(), known.max()
    if high == low:
        return np.where(np.isnan(values), np.nan, 0.0)
    return (values - low) / (high - low)


def priority_scores(
    need: np.ndarray,
    access: np.ndarray,
    bridging: np.ndarray | None,
    weights: Mapping[str, float],
) -> tuple[pd.DataFrame, list[str], dict[str, float]]:
    """Factor values, contributions, score and rank per area.

    Returns (table, notes, the weights actually used: a factor left out has weight 0).
    """
    notes: list[str] = []
    raw = {"need": need, "access": access, "bridging": bridging}
    used = dict(weights)
    factors: dict[str, np.ndarray] = {}
    for name in FACTORS:
        values = raw[name]
        if values is None:
            notes.append(
                "Bridging ties were not given, so the priority score leaves that factor out."
            )
            used[name] = 0.0
            continue
        values = np.asarray(values, dtype=float)
        if np.isnan(values).all():
            notes.append(f"No area has a value for {name}; the priority score leaves it out.")
            used[name] = 0.0
            continue
        scaled = minmax(values)
        factors[name] = scaled if name == "need" else 1.0 - scaled
        missing = int(np.isnan(values).sum())
        if missing:
            notes.append(
                f"{missing} area(s) have no {name} value; their score is the weighted mean of "
                "the other factors."
            )
        known = values[~np.isnan(values)]
        if known.min() == known.max():
            notes.append(f"Every area has the same {name}; that factor does not separate them.")
        if used[name] == 0:
            notes.append(f"The weight for {name} is 0, so it does not count in the score.")
    if sum(used.values()) == 0:
        raise InvalidInput(
            "every factor with data has weight 0; give need, access or bridging a weight",
            field="weights",
        )
    n = len(access)
    table = pd.DataFrame(index=range(n))
    weight_sum = np.zeros(n)
    for name in FACTORS:
        if name in factors and used[name] > 0:
            weight_sum += np.where(np.isnan(factors[name]), 0.0, used[name])
    score = np.zeros(n)
    for name in FACTORS:
        if name not in factors:
            table[f"factor_{name}"] = np.nan
            table[f"contrib_{name}"] = np.nan
            continue
        contrib = used[name] * factors[name] / np.where(weight_sum > 0, weight_sum, np.nan)
        table[f"factor_{name}"] = factors[name]
        table[f"contrib_{name}"] = contrib
        score += np.nan_to_num(contrib)
    score[weight_sum == 0] = np.nan
    table["priority"] = score
    table["rank"] = (
        pd.Series(score).rank(ascending=False, method="min", na_option="bottom").astype(int)
    )
    return table, notes, used
