"""Composite portraits in the manner of Francis Galton (1878): many public-domain
portraits aligned with the face mesh, warped to their mean shape and blended into faces
of nobody, then morphed one into the next. No network learns anything here.
"""
