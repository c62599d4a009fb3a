"""Motion transfer: a visitor's face (the driver) moves a portrait (the source)."""

# A portrait is read with its longer side at most this many pixels wherever its face is fitted
# (the portrait scene, `check`, `portrait inspect`, `animate`): one number, so a curator's
# preview, the check and the visitors' screen fit the face on the same pixels. (Here, in a
# module that imports nothing, so the CLI's parser can name it without loading pygame.)
PORTRAIT_SIDE = 900

# What a curator may say her portrait is (the portrait scene's `picture`, `animate --picture`,
# `portrait inspect --picture`): the lids are painted by its rule (mesh/picture_kind.py), and
# "auto" reads it from the picture.
PICTURES = ("auto", "photograph", "drawing", "print", "halftone")
