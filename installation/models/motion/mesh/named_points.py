"""The MediaPipe face mesh's points the mesh backend handles by name: the face's outline,
the lips, lids and creases, the eye openings, the points that hardly move with expression
and the jaw line. Indices only: nearly every module of the backend reads them, so they live
apart from the rig that is built on them."""

# MediaPipe mesh indices the backend handles by name.
FACE_OVAL = (10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
             152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109)
INNER_LIPS = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95)
UPPER_INNER_LIP = (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308)
LOWER_INNER_LIP = (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308)
OUTER_LIPS = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146)
# The outer lip points facing UPPER_INNER_LIP and LOWER_INNER_LIP, one for one.
UPPER_OUTER_LIP = (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291)
LOWER_OUTER_LIP = (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291)
# The lip rows from the upper outer edge to the lower, corner to corner through the middle
# (each row's middle is its sixth point): the outer edge, two rows inside each lip, the inner
# edge; point k of each row lies across the lip from point k of the others.
LIP_ROWS = (
    (61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291),
    (76, 184, 74, 73, 72, 11, 302, 303, 304, 408, 306),
    (62, 183, 42, 41, 38, 12, 268, 271, 272, 407, 292),
    (78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308),
    (78, 95, 88, 178, 87, 14, 317, 402, 318, 324, 308),
    (62, 96, 89, 179, 86, 15, 316, 403, 319, 325, 292),
    (76, 77, 90, 180, 85, 16, 315, 404, 320, 307, 306),
    (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291),
)
# Upper lid points paired with the lower lid points below them, then the crease above.
LEFT_UPPER_LID = (246, 161, 160, 159, 158, 157, 173)
LEFT_LOWER_LID = (7, 163, 144, 145, 153, 154, 155)
LEFT_CREASE = (247, 30, 29, 27, 28, 56, 190)
RIGHT_UPPER_LID = (466, 388, 387, 386, 385, 384, 398)
RIGHT_LOWER_LID = (249, 390, 373, 374, 380, 381, 382)
RIGHT_CREASE = (467, 260, 259, 257, 258, 286, 414)
LEFT_EYE_OPENING = (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7)
RIGHT_EYE_OPENING = (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249)
# Points that hardly move with expression: the head's rigid motion is measured on them.
RIGID = (1, 4, 5, 6, 168, 197, 195, 8, 9, 10, 151, 33, 133, 362, 263, 234, 454, 127, 356, 93, 323, 152)

# The outline's points along the jaw, ear to ear under the chin: the band of picture below
# them (neck, collar) has points of its own there, the jaw anchors (under_jaw.py).
JAW_LINE = (361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149, 150, 136, 172, 58, 132)
