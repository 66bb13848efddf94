"""The statute assistant: answer engine front ends (command line, console chat, Telegram)."""
