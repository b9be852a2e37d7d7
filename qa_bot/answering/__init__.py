"""Question analysis and answer composition: facts first, then passages, then abstain."""
