"""nbgrader configuration: run nbgrader's standard commands from the repository root.

    nbgrader generate_assignment 01_newton      # solutions/ -> exercises/ (student version)
    nbgrader release_assignment 01_newton       # exercises/ -> the exchange (students fetch it)
    nbgrader collect 01_newton                  # the exchange -> submitted/<student>/01_newton/
    python -m autograder autograde 01_newton    # submitted/ -> autograded/ and the gradebook
    nbgrader generate_feedback 01_newton        # -> feedback/<student>/01_newton/*.html
    nbgrader release_feedback 01_newton         # feedback -> the exchange (students fetch it)
    nbgrader export                             # -> grades.csv
"""

c = get_config()  # noqa: F821  (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "optim-dl"
from pathlib import Path  # noqa: E402

c.CourseDirectory.root = str(Path(__file__).resolve().parent)
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# The exchange, where released assignments, submissions and feedback pass between instructor
# and students. By default a folder of the course (students on the same machine point their
# own nbgrader at it with --Exchange.root); for a class on a shared server or JupyterHub, set
# NBGRADER_EXCHANGE to a folder every student can write (nbgrader's usual place is
# /usr/local/share/nbgrader/exchange).
import os  # noqa: E402

c.Exchange.root = os.environ.get("NBGRADER_EXCHANGE", str(Path(__file__).resolve().parent / "exchange"))

# An infinite loop costs its author the cell, not the class its time: each cell gets 10 s,
# then the kernel is interrupted and grading goes on with the next cell.
c.Execute.timeout = 10
c.Execute.interrupt_on_timeout = True

# nbconvert validates the notebook against nbformat's schema after every preprocessor (15 times
# per autograded notebook); once, after the last one, checks the same notebook that is written.
c.Exporter.optimistic_validation = True

# Feedback shows which checks failed and their hints, never the hidden-test block itself
# (nbgrader's default feedback prints it: jupyter/nbgrader#917).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import ClearHiddenTests, GetGrades  # noqa: E402

from autograder.preprocessors import SanitizeStudentHTML  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, SanitizeStudentHTML, CSSHTMLHeaderPreprocessor]

# Autograding runs student code in a sandbox and the test cells in a separate judge process
# (autograder/judge.py); the other autograde steps are nbgrader's own.
from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput, SaveAutoGrades)

from autograder.preprocessors import MarkGraded, SandboxedExecute, SanitizeStudentHTML  # noqa: E402

# What a student wrote is made safe to show in a browser (feedback, formgrader); the last step
# marks the submission as graded (python -m autograder autograde skips it when rerun).
# The nbgrader metadata is checked once, at the end of the sanitising steps (CheckCellMetadata,
# below): none of these steps writes it (SandboxedExecute fills in outputs and execution
# counts, SanitizeStudentHTML rewrites unlocked markdown and raw sources), so nbgrader's second
# check, here, would find what the first one found.
c.Autograde.autograde_preprocessors = [SandboxedExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SanitizeStudentHTML, SaveAutoGrades, AssignLatePenalties, MarkGraded]
c.SandboxedExecute.timeout = 10

# Submission folders are checked before nbgrader copies them (symbolic links and special files
# refused, unreadable or renamed notebooks handled): autograder/intake.py.
from autograder.intake import install_nbgrader_hook  # noqa: E402

install_nbgrader_hook()

# Deleted test cells are put back (and then restored in full by OverwriteCells) before grading.
from nbgrader.preprocessors import ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec  # noqa: E402

from autograder.preprocessors import RestoreDeletedCells  # noqa: E402

c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreDeletedCells,
                                      OverwriteCells, CheckCellMetadata]
