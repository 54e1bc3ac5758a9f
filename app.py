"""Start the careerbot web app on the defaults (./corpus, ./vectorstore, the bundled model)."""

import os

from careerbot import CareerBot
from careerbot.web import launch

if __name__ == "__main__":
    launch(
        CareerBot(),
        host=os.environ.get("CAREERBOT_HOST", "127.0.0.1"),
        port=int(os.environ.get("CAREERBOT_PORT", "7860")),
    )
