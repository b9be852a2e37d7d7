"""Channel adapters: each only translates between its channel and ``QABot.ask``."""
