"""`carnet test`: walkthroughs played and checked, and random playthroughs."""
