"""Document understanding for action plans: read → normalise → outline → extract.

Pure Python: this package never imports Django (a test enforces it).
"""
