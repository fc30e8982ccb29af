"""``carnet convert``: prose story in, playable YAML scene graph out.

Two stages with one value between them, :class:`analysis.Reading`:

- :mod:`.reading` (text in, a ``Reading`` out): ``decode`` (bytes to text),
  ``manuscript`` (paragraphs, sentences, words), ``names`` / ``places`` /
  ``things`` (who and what), ``style`` (tense, person), ``speech`` (who says
  what), ``beats`` (key moments and the choice points among them);
- :mod:`.writing` (a ``Reading`` in, files out): ``graph`` (the scene graph),
  ``continuity`` (what the story takes for granted: where alternatives rejoin),
  ``prose`` (the template language), ``situations`` (the templates, package
  data in ``writing/templates/*.yaml``), ``voice`` (tense, person, pronouns),
  ``emit`` (YAML text), ``files`` (what may be written, atomically).

``cli`` ties them together; ``explain`` prints what the reading saw.

Adding a beat kind
------------------
1. Registry entry: add the kind to ``BeatKind`` and :data:`analysis.BEAT_KINDS`
   (its place in that tuple breaks ties between beats of one paragraph).
2. Its finder: a function ``(Scan) -> list[Beat]`` in :mod:`.reading.beats`,
   registered in ``beats.FINDERS`` under the kind; give each weight it adds a
   named constant with a one-line comment.
3. Its templates: ``writing/templates/<kind>.yaml`` with ``situations`` (at
   least the key ``<kind>``) and ``bridges`` (the same keys), in the format
   described in :mod:`.writing.situations`. Mark an alternative that sends
   the beat's character away ``away: true``; give the others a ``comeback``.
   Every generated sentence of six words or more must name someone or
   something of the story (``tests/test_convert_stock.py`` checks the corpus).

``tests/test_convert_kinds.py`` checks that every kind has all three.
"""
