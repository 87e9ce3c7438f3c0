"""Topics from the group: members propose (their application's challenge, with their say-so, or new ones), vote
between sessions and suggest merges; the manager ranks, merges, publishes the votes and gives a topic to a session."""
