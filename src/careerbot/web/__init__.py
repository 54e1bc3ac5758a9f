"""The web app."""

from careerbot.web.app import build_app, launch

__all__ = ["build_app", "launch"]
