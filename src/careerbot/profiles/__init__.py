"""Profiles: what a document says about one occupation, section by section."""

from careerbot.profiles.parse import find_aliases, parse_profile, profile_from_sections
from careerbot.profiles.profile import Profile, ProfileError, Section, fold_name, occupation_key

__all__ = [
    "Profile",
    "ProfileError",
    "Section",
    "find_aliases",
    "fold_name",
    "occupation_key",
    "parse_profile",
    "profile_from_sections",
]
