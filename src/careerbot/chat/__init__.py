"""Chat: conversations that keep the occupation in focus across turns."""

from careerbot.chat.conversation import Conversation, Focus, Occupation

__all__ = ["Conversation", "Focus", "Occupation"]
