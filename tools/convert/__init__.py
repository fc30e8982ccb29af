"""``carnet convert``: prose story in, playable YAML scene graph out.

Two stages with one value between them:

- reading (``reading``, ``names``, ``beats`` …): text -> :class:`Reading`
- writing (``graph``, ``templates``, ``emit`` …): :class:`Reading` -> story files
"""
