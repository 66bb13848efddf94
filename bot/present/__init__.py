"""What every front end shares: fixed texts, renderers of answers, button data, replies."""
