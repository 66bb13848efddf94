"""The Telegram front end (python-telegram-bot v22) over the answer engine."""
