"""Start the careerbot web app; settings come from CAREERBOT_* variables (host, port, corpus, ...)."""

import sys

from careerbot import CareerBot, CareerBotError
from careerbot.web import launch

if __name__ == "__main__":
    try:
        launch(CareerBot())
    except CareerBotError as error:
        sys.exit(f"careerbot: {error}")
