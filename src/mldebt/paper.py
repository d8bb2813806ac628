"""The paper's sections, as every finding cites them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


@dataclass(frozen=True)
class PaperReference:
    """A place in Sculley et al. (2015): a numbered section and, optionally, a subsection."""

    number: int
    title: str
    subsection: str = ""

    @property
    def label(self) -> str:
        """The citation printed with a finding, e.g. `§5 ML-System Anti-Patterns › Glue Code`."""
        if self.number == 0:
            return self.title
        head = f"§{self.number} {self.title}"
        return f"{head} › {self.subsection}" if self.subsection else head

    @property
    def section_label(self) -> str:
        """The numbered section alone, for summaries by section."""
        return f"§{self.number} {self.title}" if self.number else self.title


_S2 = "Complex Models Erode Boundaries"
_S3 = "Data Dependencies Cost More than Code Dependencies"
_S4 = "Feedback Loops"
_S5 = "ML-System Anti-Patterns"
_S6 = "Configuration Debt"
_S7 = "Dealing with Changes in the External World"
_S8 = "Other Areas of ML-related Debt"


class Section(Enum):
    """Every subsection of the paper a rule can cite."""

    TOOL = PaperReference(0, "mldebt itself (no paper section)")
    ENTANGLEMENT = PaperReference(2, _S2, "Entanglement")
    CORRECTION_CASCADES = PaperReference(2, _S2, "Correction Cascades")
    UNDECLARED_CONSUMERS = PaperReference(2, _S2, "Undeclared Consumers")
    UNSTABLE_DATA_DEPENDENCIES = PaperReference(3, _S3, "Unstable Data Dependencies")
    UNDERUTILIZED_DATA_DEPENDENCIES = PaperReference(3, _S3, "Underutilized Data Dependencies")
    STATIC_ANALYSIS_OF_DATA_DEPENDENCIES = PaperReference(3, _S3, "Static Analysis of Data Dependencies")
    DIRECT_FEEDBACK_LOOPS = PaperReference(4, _S4, "Direct Feedback Loops")
    HIDDEN_FEEDBACK_LOOPS = PaperReference(4, _S4, "Hidden Feedback Loops")
    GLUE_CODE = PaperReference(5, _S5, "Glue Code")
    PIPELINE_JUNGLES = PaperReference(5, _S5, "Pipeline Jungles")
    DEAD_EXPERIMENTAL_CODEPATHS = PaperReference(5, _S5, "Dead Experimental Codepaths")
    ABSTRACTION_DEBT = PaperReference(5, _S5, "Abstraction Debt")
    PLAIN_OLD_DATA_TYPE_SMELL = PaperReference(5, _S5, "Plain-Old-Data Type Smell")
    MULTIPLE_LANGUAGE_SMELL = PaperReference(5, _S5, "Multiple-Language Smell")
    PROTOTYPE_SMELL = PaperReference(5, _S5, "Prototype Smell")
    CONFIGURATION_DEBT = PaperReference(6, _S6)
    FIXED_THRESHOLDS = PaperReference(7, _S7, "Fixed Thresholds in Dynamic Systems")
    MONITORING_AND_TESTING = PaperReference(7, _S7, "Monitoring and Testing")
    DATA_TESTING_DEBT = PaperReference(8, _S8, "Data Testing Debt")
    REPRODUCIBILITY_DEBT = PaperReference(8, _S8, "Reproducibility Debt")
    PROCESS_MANAGEMENT_DEBT = PaperReference(8, _S8, "Process Management Debt")

    @property
    def label(self) -> str:
        return self.value.label

    @property
    def number(self) -> int:
        return self.value.number
