"""Motion transfer: a visitor's face (the driver) moves a portrait (the source)."""

# A portrait is read with its longer side at most this many pixels wherever its face is fitted
# (the portrait scene, `check`, `portrait inspect`, `animate`): one number, so a curator's
# preview, the check and the visitors' screen fit the face on the same pixels. (Here, in a
# module that imports nothing, so the CLI's parser can name it without loading pygame.)
PORTRAIT_SIDE = 900

# What a curator may say her portrait is (the portrait scene's `picture`, `animate --picture`,
# `portrait inspect --picture`): the lids are painted by its rule (mesh/picture_kind.py), and
# "auto" reads it from the picture. A "painting" closes its lids as a photograph does, and its
# closed lips' dark line is the painter's stroke at any size (mesh/cavity.py, DRAWN_LINE): on a
# small face nothing in the pixels tells that stroke from a photograph's crease.
PICTURES = ("auto", "photograph", "painting", "drawing", "print", "halftone")
