"""nbgrader configuration: run nbgrader's standard commands from the repository root.

    nbgrader generate_assignment 01_newton      # solutions/ -> exercises/ (student version)
    nbgrader autograde 01_newton                # submitted/<student>/01_newton/ -> autograded/
    nbgrader generate_feedback 01_newton        # -> feedback/<student>/01_newton/*.html
    nbgrader export                             # -> grades.csv
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "optim-dl"
from pathlib import Path  # noqa: E402

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# An infinite loop costs its author the cell, not the class its time: each cell gets 10 s,
# then the kernel is interrupted and grading goes on with the next cell.
c.Execute.timeout = 10
c.Execute.interrupt_on_timeout = True

# Feedback shows which checks failed and their hints, never the hidden-test block itself
# (nbgrader's default feedback prints it: jupyter/nbgrader#917).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

# Autograding runs student code in a sandbox and the test cells in a separate judge process
# (autograder/judge.py); the other autograde steps are nbgrader's own.
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades)

from autograder.preprocessors import SandboxedExecute  # noqa: E402

c.Autograde.autograde_preprocessors = [SandboxedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
c.SandboxedExecute.timeout = 10

# Deleted test cells are put back (and then restored in full by OverwriteCells) before grading.
from nbgrader.preprocessors import ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec  # noqa: E402

from autograder.preprocessors import RestoreDeletedCells  # noqa: E402

c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreDeletedCells,
                                      OverwriteCells, CheckCellMetadata]
