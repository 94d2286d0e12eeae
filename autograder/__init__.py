"""Grading for the course kit: nbgrader configuration helpers and hidden test suites.

``autograder/<assignment>/test_<task>.py`` are the hidden pytest suites. The solution
notebooks call :func:`autograder.hidden.check` from their hidden-test blocks, so at
``nbgrader autograde`` time each suite runs against the student's functions and its points
become the cell's (partial) grade.
"""
