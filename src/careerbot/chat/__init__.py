"""Chat: conversations that keep the dialog state across turns."""

from careerbot.chat.conversation import Conversation

__all__ = ["Conversation"]
