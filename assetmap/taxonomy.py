"""The shared vocabulary: asset kinds and categories, service types, link types.

Kept as plain tables so that a reader (and the OSM importer's tag mapping) can see at a
glance what each word means. The `category` table in the database is seeded from here by
the migrations; change both together.
"""

ASSET_KINDS = ("group", "venue", "skill", "other")

VISIBILITIES = ("public", "members", "private")

STATUSES = ("pending", "published", "rejected", "archived")

ROLES = ("resident", "worker", "planner", "admin")

# slug -> label: what residents and groups already have.
ASSET_CATEGORIES = {
    "community_space": "Community centre or hall",
    "faith": "Faith group or place of worship",
    "sport_leisure": "Sport and leisure",
    "arts_culture": "Arts and culture",
    "children_youth": "Children and young people",
    "older_people": "Older people",
    "health_wellbeing": "Health and wellbeing",
    "food": "Food (food banks, cafés, growing)",
    "learning": "Learning and skills",
    "environment": "Environment and green space",
    "advice_support": "Advice and support",
    "mutual_aid": "Mutual aid and volunteering",
    "local_business": "Local business and enterprise",
}

# slug -> label: public services that planners overlay on the assets.
SERVICE_TYPES = {
    "health": "Health (GP, pharmacy, clinic)",
    "education": "Education (school, college)",
    "library": "Library",
    "employment": "Employment support",
    "social_care": "Social care",
    "housing": "Housing",
    "community_safety": "Community safety",
    "council": "Council office or hub",
}

# slug -> (label, directed by default)
LINK_TYPES = {
    "meets_at": ("meets at", True),
    "member_of": ("member of", True),
    "partners_with": ("partners with", False),
    "shares_skills_with": ("shares skills with", False),
    "refers_to": ("refers to", True),
    "funds": ("funds", True),
}
